// A user pool's options, and how they come from the template's AWS::Cognito::UserPool and UserPoolClient
// ("AWS::Cognito::UserPool" and "AWS::Cognito::UserPoolClient" in the CloudFormation User Guide).
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';

export interface ClientOptions {
  clientId: string;
  explicitAuthFlows?: string[];
  accessTokenValidityMinutes?: number;
  idTokenValidityMinutes?: number;
  refreshTokenValidityDays?: number;
}

export interface PasswordPolicy {
  minimumLength: number;
  requireLowercase: boolean;
  requireUppercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays?: number;
}

export type UsernameAttribute = 'email' | 'phone_number';

/** What the template says about a pool and its clients. */
export interface UserPoolSettings {
  clients: ClientOptions[];
  passwordPolicy: PasswordPolicy;
  usernameAttributes?: UsernameAttribute[];
  autoVerifiedAttributes?: string[];
}

export interface UserPoolOptions extends UserPoolSettings {
  poolId: string;
  region: string;
  /** e.g. http://127.0.0.1:4000: the issuer is `${issuerBase}/${poolId}`. */
  issuerBase: string;
  /** RS256 key pair generated once and kept, e.g. '.sandbox/cognito-keys.json'. */
  keyFile?: string;
  /** Users and sessions kept between runs, e.g. '.sandbox/cognito/<poolId>.json'; absent, they live in memory only. */
  stateFile?: string;
  /** Who may call the IAM-authenticated operations (Admin*, ListUsers) over HTTP. Absent, their signatures are not
   * checked: only a pool built by hand in a test omits it; startUserPools always passes the sandbox's principals. */
  iamPrincipals?: readonly IamPrincipal[];
  log: Logger;
  /** The clock, in milliseconds; tests move it to expire codes and tokens. */
  now?: () => number;
}

/** Cognito's default policy when the template sets none. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 7,
};

/** Flows a client allows when ExplicitAuthFlows is absent. */
export const DEFAULT_AUTH_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

const MINUTES: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const num = (value: unknown): number | undefined => (value === undefined ? undefined : Number(value));
const strings = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

/** Validity in minutes: the value counts `TokenValidityUnits[unitKey]`, or `defaultUnit` when that is absent. */
function minutes(props: Record<string, unknown>, valueKey: string, unitKey: string, defaultUnit: string): number | undefined {
  const value = num(props[valueKey]);
  if (value === undefined) return undefined;
  const given = record(props.TokenValidityUnits)[unitKey];
  const unit = typeof given === 'string' ? given : defaultUnit;
  return value * (MINUTES[unit] ?? 1);
}

export function userPoolSettingsFromTemplate(
  poolProps: Record<string, unknown>,
  clientProps: { clientId: string; properties: Record<string, unknown> }[],
): UserPoolSettings {
  const policy = record(record(poolProps.Policies).PasswordPolicy);
  const has = Object.keys(policy).length > 0;
  const flag = (key: string, fallback: boolean): boolean => (policy[key] === undefined ? (has ? false : fallback) : policy[key] === true || policy[key] === 'true');
  const passwordPolicy: PasswordPolicy = {
    minimumLength: num(policy.MinimumLength) ?? DEFAULT_PASSWORD_POLICY.minimumLength,
    requireLowercase: flag('RequireLowercase', true),
    requireUppercase: flag('RequireUppercase', true),
    requireNumbers: flag('RequireNumbers', true),
    requireSymbols: flag('RequireSymbols', true),
    temporaryPasswordValidityDays: num(policy.TemporaryPasswordValidityDays) ?? 7,
  };
  const clients = clientProps.map(({ clientId, properties }): ClientOptions => {
    const client: ClientOptions = { clientId };
    const flows = strings(properties.ExplicitAuthFlows);
    if (flows !== undefined) client.explicitAuthFlows = flows;
    const access = minutes(properties, 'AccessTokenValidity', 'AccessToken', 'hours');
    if (access !== undefined) client.accessTokenValidityMinutes = access;
    const id = minutes(properties, 'IdTokenValidity', 'IdToken', 'hours');
    if (id !== undefined) client.idTokenValidityMinutes = id;
    const refresh = minutes(properties, 'RefreshTokenValidity', 'RefreshToken', 'days');
    if (refresh !== undefined) client.refreshTokenValidityDays = refresh / 1440;
    return client;
  });
  const settings: UserPoolSettings = { clients, passwordPolicy };
  const usernameAttributes = strings(poolProps.UsernameAttributes)?.filter((a): a is UsernameAttribute => a === 'email' || a === 'phone_number');
  if (usernameAttributes !== undefined) settings.usernameAttributes = usernameAttributes;
  const autoVerified = strings(poolProps.AutoVerifiedAttributes);
  if (autoVerified !== undefined) settings.autoVerifiedAttributes = autoVerified;
  return settings;
}

export interface ClientSettings {
  clientId: string;
  /** Explicit auth flows without their ALLOW_ prefix: USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH... */
  flows: ReadonlySet<string>;
  accessTokenMinutes: number;
  idTokenMinutes: number;
  refreshTokenDays: number;
}

export interface PoolSettings {
  poolId: string;
  /** The part of the pool id after '_': SRP hashes it with the username. */
  poolName: string;
  region: string;
  clients: ReadonlyMap<string, ClientSettings>;
  passwordPolicy: Required<PasswordPolicy>;
  usernameAttributes: readonly UsernameAttribute[];
  autoVerifiedAttributes: readonly string[];
}
