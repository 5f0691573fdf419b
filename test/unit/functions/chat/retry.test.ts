import { describe, expect, it } from '@jest/globals';
import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { failureReason, isRetryable, retryAfterMs, retryDelayMs, sleep, StreamCutError, type RetryPolicy } from '../../../../functions/chat/retry.ts';

const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8000, maxRetryAfterMs: 20_000 };
const status = (code: number, headers: Record<string, string> = {}): APIError => APIError.generate(code, { type: 'error', error: { type: 'x' } }, 'failed', new Headers(headers));
const streamed = (type: string): APIError => new APIError(undefined, { type: 'error', error: { type } }, undefined, new Headers(), type as never);

describe('the retry policy', () => {
  it.each([429, 500, 503, 529])('retries HTTP %i', (code) => {
    expect(isRetryable(status(code))).toBe(true);
  });

  it.each([400, 401, 403, 404])('does not retry HTTP %i', (code) => {
    expect(isRetryable(status(code))).toBe(false);
  });

  it('retries an overloaded error sent inside the stream and a lost connection', () => {
    expect(isRetryable(streamed('overloaded_error'))).toBe(true);
    expect(isRetryable(new APIConnectionError({ message: 'gone' }))).toBe(true);
    expect(isRetryable(new StreamCutError())).toBe(true);
  });

  it('never retries an abort', () => {
    expect(isRetryable(new APIUserAbortError())).toBe(false);
  });

  it('waits a jittered, doubling backoff below its ceiling', () => {
    expect(retryDelayMs(status(529), 1, policy, () => 0.999)).toBe(499);
    expect(retryDelayMs(status(529), 2, policy, () => 0.5)).toBe(500);
  });

  it('waits what retry-after asks', () => {
    expect(retryDelayMs(status(429, { 'retry-after': '2' }), 1, policy)).toBe(2000);
    expect(retryAfterMs(status(429, { 'retry-after-ms': '150' }))).toBe(150);
  });

  it('reads a retry-after given as an HTTP date', () => {
    expect(retryAfterMs(status(429, { 'retry-after': new Date(61_000).toUTCString() }), 1_000)).toBe(60_000);
  });

  it('gives up when retry-after is too long or the attempts are used up', () => {
    expect(retryDelayMs(status(429, { 'retry-after': '60' }), 1, policy)).toBeUndefined();
    expect(retryDelayMs(status(529), 3, policy)).toBeUndefined();
  });

  it('names the failure in words', () => {
    expect(failureReason(status(529))).toBe('overloaded');
    expect(failureReason(streamed('overloaded_error'))).toBe('overloaded');
    expect(failureReason(status(429))).toBe('rate limited');
    expect(failureReason(status(500))).toBe('a server error');
    expect(failureReason(status(400))).toBe('request refused with HTTP 400');
    expect(failureReason(new StreamCutError())).toBe('the connection was lost');
    expect(failureReason(new TypeError('nope'))).toBe('an unexpected error');
  });

  it('ends a sleep early when its signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = sleep(60_000, controller.signal);

    controller.abort();

    await expect(sleeping).resolves.toBeUndefined();
  });
});
