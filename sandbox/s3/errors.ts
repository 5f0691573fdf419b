// S3's errors as S3 sends them: an XML `<Error>` document with a Code, a Message, the request id and, per error, extra
// elements (a Key, a ProposedSize), and the HTTP status of that code ("Error responses" and "List of error codes" in the
// Amazon S3 API Reference). A HEAD answer carries the status only, as S3's does.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export class S3Error extends Error {
  override readonly name = 'S3Error';

  constructor(
    readonly errorType: string,
    message: string,
    readonly status: number,
    /** Extra elements of the error document, in order (`Key`, `BucketName`, `ProposedSize`). */
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export const noSuchBucket = (bucket: string): S3Error => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
export const noSuchKey = (key: string): S3Error => new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
export const accessDenied = (message = 'Access Denied'): S3Error => new S3Error('AccessDenied', message, 403);
/** What the sandbox does not serve, with S3's code for it and a message saying what it does serve. */
export const notImplemented = (what: string): S3Error => new S3Error(
  'NotImplemented', `The sandbox's S3 serves PutObject, GetObject, HeadObject, DeleteObject and POST uploads, not ${what}.`, 501,
);

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** `<Name>value</Name>` for each entry, values escaped. */
export function xmlElements(entries: Record<string, string | number>): string {
  return Object.entries(entries).map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`).join('');
}

/** The ids S3 puts on every answer; the error document repeats them. */
export function requestIds(): { requestId: string; hostId: string } {
  return { requestId: randomBytes(8).toString('hex').toUpperCase(), hostId: randomBytes(32).toString('base64') };
}

export function sendS3Error(res: ServerResponse, error: S3Error, method: string, headers: Record<string, string> = {}): void {
  const { requestId, hostId } = requestIds();
  const ids = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId };
  if (method === 'HEAD') {
    res.writeHead(error.status, { ...headers, ...ids }).end();
    return;
  }
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${xmlElements({ Code: error.errorType, Message: error.message, ...error.details, RequestId: requestId, HostId: hostId })}</Error>`;
  res.writeHead(error.status, { ...headers, ...ids, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}
