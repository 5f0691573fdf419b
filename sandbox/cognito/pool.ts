// A local Cognito user pool: the cognito-idp JSON API that amazon-cognito-identity-js and Amplify v6 call,
// its JWKS and OpenID configuration, and helpers for seed scripts.
import { makePermanent } from './accounts.ts';
import { dispatchJsonCall, type JsonService } from '../aws/json-protocol.ts';
import type { Route } from '../aws/http.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { JWK, JWTPayload } from 'jose';
import { adminConfirmSignUp } from './operations/adminConfirmSignUp.ts';
import { adminCreateUser } from './operations/adminCreateUser.ts';
import { adminGetUser } from './operations/adminGetUser.ts';
import { adminSetUserPassword } from './operations/adminSetUserPassword.ts';
import { adminUserGlobalSignOut } from './operations/adminUserGlobalSignOut.ts';
import { changePassword } from './operations/changePassword.ts';
import { confirmForgotPassword } from './operations/confirmForgotPassword.ts';
import { confirmSignUp } from './operations/confirmSignUp.ts';
import { CognitoError, internalError, type CognitoResponse } from './errors.ts';
import { forgotPassword } from './operations/forgotPassword.ts';
import { getTokensFromRefreshToken } from './operations/getTokensFromRefreshToken.ts';
import { getUser } from './operations/getUser.ts';
import { createHttpHandler } from './http.ts';
import { globalSignOut } from './operations/globalSignOut.ts';
import { initiateAuth } from './operations/initiateAuth.ts';
import { loadSigningKey, type SigningKey } from './keys.ts';
import { listUsers } from './operations/listUsers.ts';
import { resendConfirmationCode } from './operations/resendConfirmationCode.ts';
import { respondToAuthChallenge } from './operations/respondToAuthChallenge.ts';
import { revokeToken } from './operations/revokeToken.ts';
import { ChallengeSessions } from './sessions.ts';
import { DEFAULT_AUTH_FLOWS, DEFAULT_PASSWORD_POLICY, type ClientSettings, type PoolSettings, type UserPoolOptions } from './settings.ts';
import { signUp } from './operations/signUp.ts';
import { completeSignIn } from './signIn.ts';
import type { AuthenticationResult } from './tokens.ts';
import { readPoolState, PoolStateWriter } from './state-file.ts';
import type { Operation, PoolContext } from './state.ts';
import { TokenService } from './tokens.ts';
import { UserDirectory, userType, type UserRecord } from './users.ts';

export { userPoolSettingsFromTemplate, type UserPoolOptions, type UserPoolSettings } from './settings.ts';
export type { CognitoResponse } from './errors.ts';
export type { UserRecord } from './users.ts';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

const OPERATIONS: Record<string, Operation> = {
  SignUp: signUp, ConfirmSignUp: confirmSignUp, ResendConfirmationCode: resendConfirmationCode,
  InitiateAuth: initiateAuth, RespondToAuthChallenge: respondToAuthChallenge, GetTokensFromRefreshToken: getTokensFromRefreshToken,
  GetUser: getUser, ChangePassword: changePassword, ForgotPassword: forgotPassword, ConfirmForgotPassword: confirmForgotPassword,
  GlobalSignOut: globalSignOut, RevokeToken: revokeToken,
  AdminCreateUser: adminCreateUser, AdminSetUserPassword: adminSetUserPassword, AdminGetUser: adminGetUser,
  AdminUserGlobalSignOut: adminUserGlobalSignOut, AdminConfirmSignUp: adminConfirmSignUp, ListUsers: listUsers,
};

/** Explicit auth flows without ALLOW_; legacy values (no ALLOW_ prefix) always allowed SRP. */
function clientSettings(client: UserPoolOptions['clients'][number]): ClientSettings {
  const listed = client.explicitAuthFlows ?? DEFAULT_AUTH_FLOWS;
  const flows = new Set(listed.map((f) => f.replace(/^ALLOW_/, '')));
  if (listed.some((f) => !f.startsWith('ALLOW_'))) flows.add('USER_SRP_AUTH');
  return {
    clientId: client.clientId,
    flows,
    accessTokenMinutes: client.accessTokenValidityMinutes ?? 60,
    idTokenMinutes: client.idTokenValidityMinutes ?? 60,
    refreshTokenDays: client.refreshTokenValidityDays ?? 30,
  };
}

export interface SeedUser {
  username: string;
  password: string;
  attributes?: Record<string, string>;
  /** false leaves the password temporary (FORCE_CHANGE_PASSWORD); default true. */
  permanent?: boolean;
  groups?: string[];
}

export class UserPool {
  readonly poolId: string;
  readonly region: string;
  readonly issuer: string;
  private readonly key: SigningKey;
  private readonly ctx: PoolContext;
  private readonly api: JsonService<PoolContext>;
  private readonly iamPrincipals: readonly IamPrincipal[] | undefined;
  private readonly stateWriter: PoolStateWriter | undefined;

  constructor(options: UserPoolOptions) {
    const [, poolName] = options.poolId.split('_');
    if (poolName === undefined || poolName === '') throw new Error(`user pool id ${options.poolId} is not <region>_<id>`);
    this.poolId = options.poolId;
    this.region = options.region;
    this.issuer = `${options.issuerBase.replace(/\/+$/, '')}/${options.poolId}`;
    this.key = loadSigningKey(options.keyFile);
    const now = options.now ?? Date.now;
    const settings: PoolSettings = {
      poolId: options.poolId,
      poolName,
      region: options.region,
      clients: new Map(options.clients.map((c) => [c.clientId, clientSettings(c)])),
      passwordPolicy: { ...DEFAULT_PASSWORD_POLICY, temporaryPasswordValidityDays: 7, ...options.passwordPolicy },
      usernameAttributes: options.usernameAttributes ?? [],
      autoVerifiedAttributes: options.autoVerifiedAttributes ?? [],
    };
    this.ctx = {
      settings,
      users: new UserDirectory(settings.usernameAttributes),
      tokens: new TokenService(this.key, this.issuer, now),
      sessions: new ChallengeSessions(now),
      log: options.log,
      now,
    };
    this.api = { targetPrefix: TARGET_PREFIX, operations: OPERATIONS, internalError, unknownOperation: (target) => `Unknown operation ${target}`, log: options.log };
    this.iamPrincipals = options.iamPrincipals;
    this.stateWriter = options.stateFile === undefined ? undefined : this.restore(options.stateFile);
  }

  /** Loads the users and sessions the state file kept; the writer then keeps it up to date. */
  private restore(stateFile: string): PoolStateWriter {
    const saved = readPoolState(stateFile, this.poolId);
    for (const user of saved?.users ?? []) this.ctx.users.add(user);
    if (saved !== undefined) {
      this.ctx.tokens.restore(saved.tokens);
      this.ctx.log.info(`${this.poolId}: ${saved.users.length} user(s) kept in ${stateFile}`);
    }
    return new PoolStateWriter(stateFile, this.poolId);
  }

  /** Writes the state file after anything that may have changed a user or a session. */
  private save(): void {
    try {
      this.stateWriter?.write({ users: this.ctx.users.all(), tokens: this.ctx.tokens.snapshot() });
    } catch (error) {
      // The call itself succeeded in memory; a full disk must not turn it into a failure.
      this.ctx.log.error(`could not save the users of ${this.poolId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  get clientIds(): string[] {
    return [...this.ctx.settings.clients.keys()];
  }

  /** Serves one JSON API call: `target` is the X-Amz-Target header, `body` the parsed JSON (null when it was not). */
  async handle(target: string, body: unknown): Promise<CognitoResponse> {
    const response = await dispatchJsonCall(this.api, this.ctx, target, body);
    this.save();
    return response;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.key.publicJwk }] };
  }

  openidConfiguration(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    };
  }

  /** True for a token of a session ended by a global sign-out or RevokeToken: the AppSync emulator refuses it. */
  readonly isRevoked = (claims: JWTPayload): boolean => this.ctx.tokens.isRevoked(claims);

  /** True for a token issued before `expireTokens` of its user: AppSync and the real-time endpoint treat it as expired. */
  readonly isExpired = (claims: JWTPayload): boolean => this.ctx.tokens.isExpiredEarly(claims);

  /** Expires the id and access tokens issued to the user with `sub` until now (not the refresh tokens); false if no such user. */
  expireTokens(sub: string): boolean {
    if (!this.ctx.users.all().some((user) => user.sub === sub)) return false;
    this.ctx.tokens.expireIssued(sub);
    this.ctx.log.info(`${this.poolId}: the tokens issued so far to ${sub} expire now`);
    return true;
  }

  /** Creates a user for a seed script: confirmed with a permanent password unless `permanent` is false. */
  async adminCreateUser(seed: SeedUser): Promise<Record<string, unknown>> {
    const attributes = Object.entries(seed.attributes ?? {}).map(([Name, Value]) => ({ Name, Value }));
    const created = await this.call('AdminCreateUser', { Username: seed.username, UserAttributes: attributes, TemporaryPassword: seed.password, MessageAction: 'SUPPRESS' });
    const username = (created.User as { Username: string }).Username;
    if (seed.permanent !== false) {
      // What AdminSetUserPassword with the same password and Permanent does, without hashing that password a second
      // time (~0.1 s of scrypt and SRP a user): the credentials AdminCreateUser stored are already this password's.
      makePermanent(this.ctx, this.ctx.users.require(username));
      this.save();
    }
    for (const group of seed.groups ?? []) this.adminAddUserToGroup(username, group);
    return userType(this.ctx.users.require(username));
  }

  /**
   * Tokens for a user as a sign-in through the app client would issue them (id, access and refresh), without the
   * password round trip: the test kit's createUser (sandbox/public.ts), whose users need tokens, not a sign-in test.
   * Refused as a sign-in would be: an unknown, disabled, unconfirmed or temporary-password user.
   */
  async adminIssueTokens(username: string, clientId: string | undefined = this.clientIds[0]): Promise<AuthenticationResult> {
    const client = clientId === undefined ? undefined : this.ctx.settings.clients.get(clientId);
    if (!client) throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId ?? '(none)'} does not exist.`);
    const user = this.ctx.users.require(username);
    const signedIn = await completeSignIn(this.ctx, user, client);
    const result = signedIn.AuthenticationResult as AuthenticationResult | undefined;
    if (!result) throw new CognitoError('NotAuthorizedException', `${username} must set a new password before signing in.`);
    return result;
  }

  adminAddUserToGroup(username: string, group: string): void {
    const user = this.ctx.users.require(username);
    if (!user.groups.includes(group)) user.groups.push(group);
    this.save();
  }

  /** Copies of the stored records, for inspection: credentials are verifiers and hashes only. */
  storedUsers(): UserRecord[] {
    return structuredClone(this.ctx.users.all());
  }

  /** A Node request handler for the JSON API and the well-known documents; false for anything else. */
  httpHandler(): Route {
    return createHttpHandler(this, this.iamPrincipals === undefined ? undefined : { principals: this.iamPrincipals, log: this.ctx.log });
  }

  private async call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const response = await this.handle(TARGET_PREFIX + operation, { UserPoolId: this.poolId, ...input });
    if (response.status !== 200) {
      const { __type, message } = response.body as { __type: CognitoError['errorType']; message: string };
      throw new CognitoError(__type, message, response.status);
    }
    return response.body as Record<string, unknown>;
  }
}
