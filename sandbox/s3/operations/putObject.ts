// PutObject ("PutObject" in the Amazon S3 API Reference; "Checking object integrity" in the user guide): the body as
// sent or, when the SDK streams it aws-chunked, decoded; Content-MD5 and the x-amz-checksum-* the sandbox can compute
// (CRC32, SHA-1, SHA-256; CRC32C and CRC64NVME are accepted unchecked) verified, in a header or a trailer; the
// representation headers and user metadata kept with the object.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { headerOf } from '../../aws/http.ts';
import { decodeAwsChunked, readBytes } from '../body.ts';
import { verifyS3Request } from '../auth.ts';
import { S3Error } from '../errors.ts';
import { s3Request, type ObjectCall, type S3Context } from '../context.ts';
import type { StoredObject } from '../store.ts';

export const REPRESENTATION_HEADERS = ['content-type', 'cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

const CHECKSUMS: Record<string, { name: string; compute: (body: Buffer) => string }> = {
  'x-amz-checksum-crc32': { name: 'CRC32', compute: (body) => { const out = Buffer.alloc(4); out.writeUInt32BE(crc32(body)); return out.toString('base64'); } },
  'x-amz-checksum-sha1': { name: 'SHA1', compute: (body) => createHash('sha1').update(body).digest('base64') },
  'x-amz-checksum-sha256': { name: 'SHA256', compute: (body) => createHash('sha256').update(body).digest('base64') },
};

/** The checksum sent (header, or trailer for a streamed body), verified; undefined when none the sandbox computes. */
export function verifiedChecksum(body: Buffer, sent: Record<string, string | undefined>): StoredObject['checksum'] {
  for (const [header, algorithm] of Object.entries(CHECKSUMS)) {
    const value = sent[header];
    if (value === undefined) continue;
    if (algorithm.compute(body) !== value) throw new S3Error('BadDigest', `The ${algorithm.name} you specified did not match the calculated checksum.`, 400);
    return { header, value };
  }
  return undefined;
}

function checkContentMd5(body: Buffer, contentMd5: string | undefined): void {
  if (contentMd5 === undefined) return;
  if (Buffer.from(contentMd5, 'base64').length !== 16) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': contentMd5 });
  if (createHash('md5').update(body).digest('base64') !== contentMd5) {
    throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, { ExpectedDigest: contentMd5 });
  }
}

/** A stored object made of a body and the headers (or form fields) that describe it, by lower-case name. */
export function newObject(key: string, body: Buffer, described: (name: string) => string | undefined, names: Iterable<string>, now: number, checksum: StoredObject['checksum']): StoredObject {
  const headers: Record<string, string> = {};
  for (const name of REPRESENTATION_HEADERS) {
    // aws-chunked names the transfer encoding, not the object's: S3 does not keep it.
    const value = name === 'content-encoding' ? described(name)?.split(',').map((v) => v.trim()).filter((v) => v !== 'aws-chunked').join(',') : described(name);
    if (value !== undefined && value !== '') headers[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const name of names) if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = described(name) ?? '';
  return {
    key, body, headers, metadata, lastModified: Math.floor(now / 1000) * 1000,
    etag: `"${createHash('md5').update(body).digest('hex')}"`, ...(checksum === undefined ? {} : { checksum }),
  };
}

export async function putObject(context: S3Context, call: ObjectCall): Promise<void> {
  const raw = await readBytes(call.req, context.maxObjectBytes + 64 * 1024);
  const { payload } = await verifyS3Request(s3Request(call, raw), context.auth);
  // A presigned URL carries x-amz-* headers in its query (the presigner hoists them): S3 reads them from either place.
  const header = (name: string): string | undefined => headerOf(call.req.headers, name) ?? (name.startsWith('x-amz-') ? call.query.get(name) ?? undefined : undefined);
  let body = raw;
  let sent: Record<string, string | undefined> = Object.fromEntries(Object.keys(CHECKSUMS).map((name) => [name, header(name)]));
  if (payload === 'streaming') {
    const decoded = decodeAwsChunked(raw);
    if (String(decoded.data.length) !== header('x-amz-decoded-content-length')) throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);
    body = decoded.data;
    sent = { ...sent, ...decoded.trailers };
  }
  if (body.length > context.maxObjectBytes) throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: body.length, MaxSizeAllowed: context.maxObjectBytes });
  checkContentMd5(body, header('content-md5'));
  const checksum = verifiedChecksum(body, sent);
  const object = newObject(call.key, body, header, Object.keys(call.req.headers), context.auth.now(), checksum);
  context.store.put(call.bucket, object);
  call.res.writeHead(200, { etag: object.etag, 'content-length': '0', ...(checksum ? { [checksum.header]: checksum.value } : {}) }).end();
}
