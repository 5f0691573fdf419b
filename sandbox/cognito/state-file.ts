// A pool's users and sessions in one file under the state folder, so `npm start -- --persist` keeps them across
// restarts. Credentials are what the pool holds anyway (SRP verifiers, salted scrypt hashes) and refresh tokens are
// kept by their SHA-256 only: the file holds no password and no token. Written whole to a temporary file renamed over
// the old one, so a crash leaves the previous state or the new one, never half of either.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TokenState } from './tokens.ts';
import type { UserRecord } from './users.ts';

export interface PoolState {
  users: UserRecord[];
  tokens: TokenState;
}

interface StateFileContent extends PoolState {
  version: 1;
  poolId: string;
}

export class PoolStateFileError extends Error {
  readonly errorType = 'PoolStateFileError';

  constructor(path: string, reason: string) {
    super(`${path} is not a state file of this user pool (${reason}); delete it to start the pool empty.`);
    this.name = 'PoolStateFileError';
  }
}

function parse(path: string, text: string, poolId: string): PoolState {
  let content: Partial<StateFileContent>;
  try {
    content = JSON.parse(text) as Partial<StateFileContent>;
  } catch (error) {
    throw new PoolStateFileError(path, error instanceof Error ? error.message : String(error));
  }
  if (content.version !== 1) throw new PoolStateFileError(path, `version ${JSON.stringify(content.version)}, not 1`);
  if (content.poolId !== poolId) throw new PoolStateFileError(path, `it is pool ${String(content.poolId)}'s`);
  if (!Array.isArray(content.users) || typeof content.tokens !== 'object' || content.tokens === null) throw new PoolStateFileError(path, 'no users or tokens');
  return { users: content.users, tokens: content.tokens };
}

/** The pool's state as last written, or undefined when there is no file yet. */
export function readPoolState(path: string, poolId: string): PoolState | undefined {
  if (!existsSync(path)) return undefined;
  return parse(path, readFileSync(path, 'utf8'), poolId);
}

/** Writes the state when it changed since the last write. Synchronous: once a call is answered, its change is on disk. */
export class PoolStateWriter {
  private last: string | undefined;

  constructor(private readonly path: string, private readonly poolId: string) {}

  write(state: PoolState): void {
    const text = `${JSON.stringify({ version: 1, poolId: this.poolId, ...state } satisfies StateFileContent, null, 1)}\n`;
    if (text === this.last) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, this.path);
    this.last = text;
  }
}
