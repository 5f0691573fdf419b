// Reading a request to the stand-in: which of its routes the path names (under the prefix it is mounted at), its body
// within the real API's size limit, that body as JSON, and the fault a test asked for in a header.
import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError, readBody } from '../aws/http.ts';
import { bedrockRouteOf, type BedrockRoute } from './bedrock.ts';
import { ClaudeApiError } from './errors.ts';

/** The real API's request size limit ("Errors": request size limits). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export const FAULT_HEADER = 'x-standin-fault';

/** Anthropic's Messages routes by name, or Bedrock's InvokeModel routes by model and operation. */
export type RequestRoute = 'messages' | 'count_tokens' | 'unknown' | BedrockRoute;

/** The route a path names; undefined when the path is outside `pathPrefix` (when given) or not the stand-in's. */
export function routeOf(url: string | undefined, pathPrefix?: string): RequestRoute | undefined {
  if (pathPrefix !== undefined && !(url ?? '').startsWith(pathPrefix)) return undefined;
  const bedrock = bedrockRouteOf(url);
  if (bedrock) return bedrock;
  const path = new URL(url ?? '/', 'http://stand-in').pathname.replace(/\/+$/, '');
  const at = path.indexOf('/v1/');
  if (at < 0) return path.endsWith('/v1') ? 'unknown' : undefined;
  const rest = path.slice(at + 3);
  if (rest === '/messages') return 'messages';
  if (rest === '/messages/count_tokens') return 'count_tokens';
  return 'unknown';
}

export async function bodyOf(req: IncomingMessage): Promise<string> {
  try {
    return await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ClaudeApiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    throw error;
  }
}

export function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ClaudeApiError('invalid_request_error', 'There was an issue with the format or content of your request: the body is not valid JSON.');
  }
}

export function headerFault(req: IncomingMessage): string | undefined {
  const value = req.headers[FAULT_HEADER];
  return Array.isArray(value) ? value[0] : value;
}
