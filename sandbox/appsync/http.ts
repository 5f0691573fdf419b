// AppSync's HTTP answers: JSON with the CORS headers its GraphQL endpoint sends, preflights, and the request headers
// as resolvers see them. Body reading and the caller's address are the shared layer's (sandbox/aws/http.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson as sendAwsJson } from '../aws/http.ts';

export const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, x-api-key, x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-target, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request, cache-control',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'x-amzn-requestid, x-amzn-errortype, x-amz-apigw-id',
  'access-control-max-age': '86400',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendAwsJson(res, status, body, { 'content-type': 'application/json; charset=UTF-8', ...CORS_HEADERS, ...headers });
}

export function sendPreflight(res: ServerResponse): void {
  res.writeHead(204, CORS_HEADERS);
  res.end();
}

/** Lower-cased single-valued headers, as resolvers see them in ctx.request.headers. */
export function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}
