// When a real-time connection's or subscription's token runs out. AWS documents no message for it; the sandbox's
// reading (PROTOCOL.md, "When a token expires") answers with the error AppSync gives an expired token at connect.
import type { Caller } from '../auth.ts';
import type { WireError } from './protocol.ts';

export const TOKEN_EXPIRED: WireError = { errorType: 'UnauthorizedException', message: 'Token has expired.' };

/** When the caller's token expires, in ms since the epoch: a JWT's `exp` (user pools); null for IAM and API keys. */
export function expiryOf(caller: Caller): number | null {
  const claims = (caller.identity as { claims?: { exp?: unknown } } | null)?.claims;
  return typeof claims?.exp === 'number' ? claims.exp * 1000 : null;
}

// setTimeout holds at most 2^31 - 1 ms (~24.8 days); a later time is reached in steps.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Calls `then` when the caller's token expires, unless the returned cancel is called first; null if it never does. */
export function whenExpired(caller: Caller, then: () => void): (() => void) | null {
  const time = expiryOf(caller);
  return time === null ? null : at(time, then);
}

/** Calls `then` at `time` (ms since the epoch) unless the returned cancel is called first; the timer keeps no process alive. */
function at(time: number, then: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const wait = time - Date.now();
    if (wait <= 0) {
      then();
      return;
    }
    timer = setTimeout(arm, Math.min(wait, LONGEST_TIMER_MS));
    timer.unref();
  };
  timer = setTimeout(arm, 0);
  timer.unref();
  return () => clearTimeout(timer);
}
