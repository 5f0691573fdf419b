// Faults a test can ask the stand-in for: error answers, a slow first token, a stream that errors or is cut.
// Asked per request (header `x-standin-fault`, directive `[[standin:fault=...]]`) or queued for the next requests.
import { ClaudeApiError } from './errors.ts';

export type Fault =
  | { kind: 'rate_limit' }
  | { kind: 'overloaded' }
  | { kind: 'api_error' }
  | { kind: 'slow_first_token'; ms: number }
  | { kind: 'error_mid_stream' }
  | { kind: 'cut_mid_stream' };

export type FaultKind = Fault['kind'];

/** How a fault is written: `rate_limit`, `slow_first_token:250`, ... */
export type FaultName = Exclude<FaultKind, 'slow_first_token'> | `slow_first_token:${number}`;

/** Deltas a stream sends before `error_mid_stream` or `cut_mid_stream` strikes. */
export const DELTAS_BEFORE_FAULT = 3;

/** Seconds in the `retry-after` header of an injected rate limit. */
export const RETRY_AFTER_SECONDS = 1;

/** Parses a fault name; undefined when it names no fault. */
export function parseFault(name: string): Fault | undefined {
  const [kind, argument] = name.trim().split(':', 2);
  switch (kind) {
    case 'rate_limit':
    case 'overloaded':
    case 'api_error':
    case 'error_mid_stream':
    case 'cut_mid_stream':
      return argument === undefined ? { kind } : undefined;
    case 'slow_first_token':
      return argument !== undefined && /^\d+$/.test(argument) ? { kind, ms: Number(argument) } : undefined;
    default:
      return undefined;
  }
}

/** The error answer a fault stands for, when it is answered before any reply. */
export function faultError(fault: Fault): ClaudeApiError | undefined {
  switch (fault.kind) {
    case 'rate_limit':
      return new ClaudeApiError('rate_limit_error', 'This request would exceed the rate limit for your organization (stand-in fault).', {
        'retry-after': String(RETRY_AFTER_SECONDS),
        'anthropic-ratelimit-requests-remaining': '0',
      });
    case 'overloaded':
      return new ClaudeApiError('overloaded_error', 'Overloaded');
    case 'api_error':
      return new ClaudeApiError('api_error', 'Internal server error');
    default:
      return undefined;
  }
}

/** Faults queued by the test process for the next requests, oldest first. */
export class FaultQueue {
  private readonly queue: Fault[] = [];

  /** Queues `fault` for the next `count` requests to /v1/messages. */
  enqueue(name: FaultName, count = 1): void {
    const fault = parseFault(name);
    if (!fault) throw new TypeError(`unknown stand-in fault: ${name}`);
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    for (let i = 0; i < count; i++) this.queue.push(fault);
  }

  /** The next queued fault, removed from the queue. */
  take(): Fault | undefined {
    return this.queue.shift();
  }

  clear(): void {
    this.queue.length = 0;
  }

  get size(): number {
    return this.queue.length;
  }
}
