// Sign-in steps between InitiateAuth and RespondToAuthChallenge: the SRP exchange (keyed by its SECRET_BLOCK)
// and the NEW_PASSWORD_REQUIRED session. They last 3 minutes, Cognito's default AuthSessionValidity.
import { randomBytes } from 'node:crypto';
import { notAuthorized } from './errors.ts';

const VALIDITY_MS = 3 * 60_000;

export type ChallengeState =
  | { kind: 'PASSWORD_VERIFIER'; username: string; clientId: string; A: string; b: bigint; B: bigint }
  | { kind: 'NEW_PASSWORD_REQUIRED'; username: string; clientId: string };

export class ChallengeSessions {
  private readonly open = new Map<string, ChallengeState & { expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  /** Opens a step and returns its key: base64 bytes, usable as SECRET_BLOCK or Session. */
  start(state: ChallengeState): string {
    const key = randomBytes(96).toString('base64');
    this.open.set(key, { ...state, expiresAt: this.now() + VALIDITY_MS });
    return key;
  }

  /** Closes a step and returns its state; a key is good once, for its client and challenge. */
  take<K extends ChallengeState['kind']>(key: string, kind: K, clientId: string): Extract<ChallengeState, { kind: K }> {
    const state = this.open.get(key);
    this.open.delete(key);
    if (state === undefined || state.kind !== kind || state.clientId !== clientId) throw notAuthorized('Invalid session for the user.');
    if (this.now() > state.expiresAt) throw notAuthorized('Invalid session for the user, session is expired.');
    return state as unknown as Extract<ChallengeState, { kind: K }>;
  }
}
