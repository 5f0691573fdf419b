// What every operation of a pool sees: its settings, users, tokens, sign-in sessions, log and clock.
import type { Logger } from '../log.ts';
import type { ChallengeSessions } from './sessions.ts';
import type { PasswordPolicy, UsernameAttribute } from './settings.ts';
import type { TokenService } from './tokens.ts';
import type { UserDirectory } from './users.ts';

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

export interface PoolContext {
  settings: PoolSettings;
  users: UserDirectory;
  tokens: TokenService;
  sessions: ChallengeSessions;
  log: Logger;
  now(): number;
}

/** An operation: the request's JSON body in, the response's JSON body out, or a CognitoError thrown. */
export type Operation = (ctx: PoolContext, input: Record<string, unknown>) => Promise<Record<string, unknown>>;
