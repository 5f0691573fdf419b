// What every S3 operation is handed: the store, the signature check, the clock and the size cap, and the request with
// its bucket and key already read from the path.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3AuthOptions, S3Request } from './auth.ts';
import type { CorsRule } from './cors.ts';
import type { ObjectStore } from './store.ts';

export interface S3Context {
  store: ObjectStore;
  auth: S3AuthOptions;
  cors: ReadonlyMap<string, readonly CorsRule[]>;
  /** The largest object body (and POST file) the sandbox accepts, in bytes. */
  maxObjectBytes: number;
  /** The path the service answers under (`/s3`): object URLs are built on it. */
  pathPrefix: string;
}

export interface ObjectCall {
  req: IncomingMessage;
  res: ServerResponse;
  bucket: string;
  /** Decoded; '' for a request on the bucket itself. */
  key: string;
  /** The path and query as sent, for the signature. */
  rawPath: string;
  query: URLSearchParams;
}

/** The signed parts of a call, with its body. */
export const s3Request = (call: ObjectCall, body: Buffer): S3Request => ({ method: call.req.method ?? 'GET', rawPath: call.rawPath, query: call.query, headers: call.req.headers, body });

/** The object's URL as S3 gives it in a POST answer's Location, path-style on the sandbox's own address. */
export function objectUrl(context: S3Context, call: ObjectCall): string {
  const encodedKey = call.key.split('/').map(encodeURIComponent).join('/');
  return `http://${call.req.headers.host ?? 'localhost'}${context.pathPrefix}/${encodeURIComponent(call.bucket)}/${encodedKey}`;
}
