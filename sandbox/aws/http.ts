// The HTTP plumbing every stand-in shares: one route type, one body reader with its size cap, JSON answers and the
// caller's address. Nothing here knows a service: AppSync, Cognito, Secrets Manager and the Claude stand-in build on it.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers a request it owns and resolves true, or resolves false so the server tries the next route. */
export type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Bodies over this are refused before parsing, so a runaway client cannot exhaust memory (AppSync's own cap). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** The whole body as UTF-8; throws BodyTooLargeError as soon as it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes `body` as JSON with its length; `headers` may replace the content type. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The caller's IPv4 or IPv6 address, as AWS reports it in `sourceIp` (no IPv4-mapped prefix). */
export function sourceIpOf(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/** A header by name, whatever its case (real-time clients send `Authorization`; Node lower-cases its own). */
export function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.hasOwn(headers, wanted) ? wanted : Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}
