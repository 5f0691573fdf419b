// GetObject and HeadObject ("GetObject", "HeadObject" in the Amazon S3 API Reference): the stored representation
// headers and user metadata, one byte range when asked (several ranges are not served by S3 either: it answers the whole
// object), the response-* overrides of a signed request, and the stored checksum when the caller asks with
// x-amz-checksum-mode: ENABLED and reads the whole object.
import { headerOf } from '../../aws/http.ts';
import { readBytes } from '../body.ts';
import { noSuchKey, S3Error } from '../errors.ts';
import { verifyS3Request } from '../auth.ts';
import { s3Request, type ObjectCall, type S3Context } from '../context.ts';
import type { StoredObject } from '../store.ts';

const OVERRIDES = ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding'];

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` -> [first, last], null for a header S3 ignores, or InvalidRange. */
export function byteRange(header: string | undefined, size: number): [number, number] | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const [first, last] = m[1] === ''
    ? [Math.max(0, size - Number(m[2])), size - 1]
    : [Number(m[1]), m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)];
  if (m[1] !== '' && m[2] !== '' && Number(m[2]) < first) return null;
  if (first >= size || (m[1] === '' && Number(m[2]) === 0)) {
    throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: header ?? '', ActualObjectSize: size });
  }
  return [first, last];
}

function objectHeaders(object: StoredObject, query: URLSearchParams): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'binary/octet-stream', ...object.headers, etag: object.etag, 'last-modified': new Date(object.lastModified).toUTCString(), 'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  for (const name of OVERRIDES) {
    const override = query.get(`response-${name}`);
    if (override !== null) headers[name] = override;
  }
  return headers;
}

export async function getObject(context: S3Context, call: ObjectCall): Promise<void> {
  const body = await readBytes(call.req, 1024 * 1024);
  await verifyS3Request(s3Request(call, body), context.auth);
  const object = context.store.get(call.bucket, call.key);
  if (!object) throw noSuchKey(call.key);
  const headers = objectHeaders(object, call.query);
  const range = byteRange(headerOf(call.req.headers, 'range'), object.body.length);
  if (range === null && object.checksum && (headerOf(call.req.headers, 'x-amz-checksum-mode') ?? call.query.get('x-amz-checksum-mode')) === 'ENABLED') {
    headers[object.checksum.header] = object.checksum.value;
    headers['x-amz-checksum-type'] = 'FULL_OBJECT';
  }
  const bytes = range === null ? object.body : object.body.subarray(range[0], range[1] + 1);
  if (range !== null) headers['content-range'] = `bytes ${range[0]}-${range[1]}/${object.body.length}`;
  call.res.writeHead(range === null ? 200 : 206, { ...headers, 'content-length': String(bytes.length) });
  call.res.end(call.req.method === 'HEAD' ? undefined : bytes);
}
