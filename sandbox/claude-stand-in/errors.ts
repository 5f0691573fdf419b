// The one place that builds Anthropic's error answers: status, `error.type` and the JSON envelope.
// Shapes copied from Anthropic's "Errors" page (HTTP errors, Error shapes, Request id).
import type { ServerResponse } from 'node:http';

export type ClaudeErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

const STATUS: Record<ClaudeErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

/** An error the stand-in answers with, as the real API would. */
export class ClaudeApiError extends Error {
  override readonly name = 'ClaudeApiError';

  constructor(
    readonly errorType: ClaudeErrorType,
    message: string,
    /** Extra response headers, e.g. `retry-after` on a rate limit. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.errorType];
  }
}

/** A 400 `invalid_request_error`, the answer to every request the validators refuse. */
export function invalidRequest(message: string): ClaudeApiError {
  return new ClaudeApiError('invalid_request_error', message);
}

export interface ErrorBody {
  type: 'error';
  error: { type: ClaudeErrorType; message: string };
  request_id?: string;
}

/** The JSON body of an error answer; SSE `event: error` carries it without `request_id`. */
export function errorBody(error: ClaudeApiError, requestId?: string): ErrorBody {
  const body: ErrorBody = { type: 'error', error: { type: error.errorType, message: error.message } };
  if (requestId !== undefined) body.request_id = requestId;
  return body;
}

export function sendError(res: ServerResponse, error: ClaudeApiError, requestId: string): void {
  const text = JSON.stringify(errorBody(error, requestId));
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': requestId,
    ...error.headers,
  });
  res.end(text);
}
