// When to retry a model call that failed before its first token, and how long to wait: exponential backoff with
// full jitter, or the server's `retry-after` when it sends one ("Errors" and "Rate limits" in Anthropic's API docs).
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk/error';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `retry-after` longer than this is not waited for: the reply fails instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 20_000 };

// Bedrock's mid-stream exceptions reach the SDK as stream `error` events typed by their camel-cased name.
const BEDROCK_RATE_LIMITED = new Set(['throttlingException', 'serviceQuotaExceededException']);
const BEDROCK_SERVER = new Set(['internalServerException', 'modelStreamErrorException', 'serviceUnavailableException', 'modelTimeoutException', 'modelNotReadyException']);
const RETRYABLE_TYPES = new Set(['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error', ...BEDROCK_RATE_LIMITED, ...BEDROCK_SERVER]);

/** Overloaded (529), rate limited (429), server errors (5xx), timeouts and lost connections; never a client error. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError) {
    if (error.status === undefined) return error.type !== null && RETRYABLE_TYPES.has(error.type);
    return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
  }
  // Not an API answer at all: a stream cut or a socket error. Safe to retry while nothing has been shown.
  return true;
}

/** The wait the server asked for, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  if (!(error instanceof APIError) || !(error.headers instanceof Headers)) return undefined;
  const ms = Number(error.headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = error.headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before attempt `attempt + 1`, after `attempt` attempts failed with `error`;
 * undefined when the error is not retried (not retryable, attempts used up, or `retry-after` too long).
 */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, random: () => number = Math.random): number | undefined {
  if (attempt >= policy.maxAttempts || !isRetryable(error)) return undefined;
  const asked = retryAfterMs(error);
  if (asked !== undefined) return asked <= policy.maxRetryAfterMs ? asked : undefined;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** A few words on why the model failed, for the reply's `error`. */
export function failureReason(error: unknown): string {
  if (error instanceof APIConnectionError) return 'the connection was lost';
  if (error instanceof APIError) {
    if (error.status === 529 || error.type === 'overloaded_error') return 'overloaded';
    if (error.status === 429 || error.type === 'rate_limit_error' || BEDROCK_RATE_LIMITED.has(error.type ?? '')) return 'rate limited';
    if ((error.status !== undefined && error.status >= 500) || error.type === 'api_error' || BEDROCK_SERVER.has(error.type ?? '')) return 'a server error';
    if (error.status !== undefined) return `request refused with HTTP ${error.status}`;
  }
  if (error instanceof StreamCutError || isNetworkError(error)) return 'the connection was lost';
  return 'an unexpected error';
}

/** A socket closed under the response body: fetch's `TypeError: terminated`, or an error with a socket code. */
function isNetworkError(error: unknown): boolean {
  // Duck-typed: fetch's errors come from Node's own realm, where `instanceof Error` may not hold.
  if (typeof error !== 'object' || error === null) return false;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && /\b(terminated|fetch failed|socket hang up)\b/.test(message)) return true;
  const cause = (error as { cause?: unknown }).cause as { code?: unknown; name?: unknown } | undefined;
  const code = cause?.code ?? (error as { code?: unknown }).code;
  return cause?.name === 'SocketError' || (typeof code === 'string' && /^(UND_ERR_|ECONNRESET|EPIPE|ETIMEDOUT)/.test(code));
}

/** The stream ended without `message_stop`: the connection was cut. */
export class StreamCutError extends Error {
  readonly errorType = 'StreamCut';
  constructor() {
    super('the model stream ended before message_stop');
    this.name = 'StreamCutError';
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
