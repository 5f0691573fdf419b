// What every operation of a pool sees: its settings, users, tokens, sign-in sessions, log and clock.
import type { JsonOperation } from '../aws/json-protocol.ts';
import type { Logger } from '../log.ts';
import type { ChallengeSessions } from './sessions.ts';
import type { PoolSettings } from './settings.ts';
import type { TokenService } from './tokens.ts';
import type { UserDirectory } from './users.ts';

export interface PoolContext {
  settings: PoolSettings;
  users: UserDirectory;
  tokens: TokenService;
  sessions: ChallengeSessions;
  log: Logger;
  now(): number;
}

/** An operation: the request's JSON body in, the response's JSON body out, or a CognitoError thrown. */
export type Operation = JsonOperation<PoolContext>;
