// Request bodies as bytes, which objects are: sandbox/aws/http.ts's reader answers UTF-8 text. Also the `aws-chunked`
// encoding the AWS SDK streams a body in when it sends its checksum as a trailer ("Uploading objects" and "Checking object
// integrity" in the Amazon S3 user guide; the chunk format is "Signature Calculations for the Authorization Header:
// Transferring Payload in Multiple Chunks", without chunk signatures).
import type { IncomingMessage } from 'node:http';
import { S3Error } from './errors.ts';

/**
 * The whole body; refuses with S3's EntityTooLarge past `limit` bytes. An oversized body is still read to its end (and
 * dropped), so the client receives the error instead of a reset connection.
 */
export async function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= limit) chunks.push(buffer);
  }
  if (size > limit) throw tooLarge(size, limit);
  return Buffer.concat(chunks);
}

export function tooLarge(proposed: number, max: number): S3Error {
  return new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: proposed, MaxSizeAllowed: max });
}

export interface DecodedChunks { data: Buffer; trailers: Record<string, string> }

/** `<hex size>\r\n<bytes>\r\n` ... `0\r\n<trailer: value>\r\n\r\n` -> the bytes and the trailers, by lower-case name. */
export function decodeAwsChunked(body: Buffer): DecodedChunks {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw incomplete();
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isInteger(size) || size < 0) throw incomplete();
    at = lineEnd + 2;
    if (size === 0) break;
    if (at + size + 2 > body.length) throw incomplete();
    parts.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(at).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(parts), trailers };
}

const incomplete = (): S3Error => new S3Error('IncompleteBody', 'The request body terminated unexpectedly', 400);
