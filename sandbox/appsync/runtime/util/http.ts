// util.http: forwarding request headers and adding response headers, with AppSync's restrictions.
// AWS AppSync docs, "HTTP helpers in util.http".
import type { Util } from '@aws-appsync/utils';
import { UtilArgumentError, type EvaluationState } from '../state.ts';

/** Headers copyHeaders leaves out. */
export const RESTRICTED_HEADERS = new Set([
  'transfer-encoding', 'connection', 'host', 'expect', 'keep-alive', 'upgrade', 'proxy-authenticate', 'proxy-authorization', 'te', 'content-length',
]);

/** Headers a resolver may not set on the response, besides RESTRICTED_HEADERS. */
const RESPONSE_RESTRICTED = new Set([
  'access-control-allow-credentials', 'access-control-allow-origin', 'access-control-expose-headers', 'access-control-max-age',
  'access-control-allow-methods', 'access-control-allow-headers', 'vary', 'content-type',
]);

/** Custom response headers, names and values together, may not exceed 4 KB. */
export const RESPONSE_HEADERS_MAX_BYTES = 4096;

function headerValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function sizeOf(headers: Record<string, string>): number {
  return Object.entries(headers).reduce((total, [name, value]) => total + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
}

/** Why AppSync would ignore this header, or null when it is accepted. */
function rejection(state: EvaluationState, name: unknown, value: unknown): string | null {
  if (typeof name !== 'string' || name.trim() === '') return 'Response header name must not be empty';
  const lower = name.toLowerCase();
  if (RESTRICTED_HEADERS.has(lower) || RESPONSE_RESTRICTED.has(lower) || lower.startsWith('x-amzn-') || lower.startsWith('x-amz-')) {
    return `Response header '${name}' is restricted`;
  }
  if (value === null || value === undefined) return `Response header '${name}' must have a value`;
  const next = { ...state.responseHeaders, [name]: headerValue(value) };
  if (sizeOf(next) > RESPONSE_HEADERS_MAX_BYTES) return `Response headers exceed the ${RESPONSE_HEADERS_MAX_BYTES} bytes limit`;
  return null;
}

function addResponseHeader(state: EvaluationState, name: unknown, value: unknown): void {
  const reason = rejection(state, name, value);
  if (reason === null) {
    state.responseHeaders[name as string] = headerValue(value);
    return;
  }
  // The header is dropped and the operation reports a ResponseHeaderError, as AppSync does.
  state.appendedErrors.push({ message: reason, errorType: 'ResponseHeaderError', data: null, errorInfo: null });
}

export function createHttpUtil(state: EvaluationState): Util['http'] {
  return {
    copyHeaders<T extends object>(headers: T): Record<string, unknown> {
      if (headers === null || typeof headers !== 'object') throw new UtilArgumentError('util.http.copyHeaders: the headers must be an object');
      return Object.fromEntries(Object.entries(headers).filter(([name]) => !RESTRICTED_HEADERS.has(name.toLowerCase())));
    },
    addResponseHeader: (name: string, value: unknown) => addResponseHeader(state, name, value),
    addResponseHeaders(headers: Record<string, unknown>): void {
      if (headers === null || typeof headers !== 'object') throw new UtilArgumentError('util.http.addResponseHeaders: the headers must be an object');
      for (const [name, value] of Object.entries(headers)) addResponseHeader(state, name, value);
    },
  };
}
