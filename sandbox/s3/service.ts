// The sandbox's S3: the template's buckets (AWS::S3::Bucket) served path-style under one prefix of the sandbox's own
// server (`/s3/<bucket>/<key>`): PutObject, GetObject, HeadObject, DeleteObject, browser POST uploads, CORS preflights,
// and lifecycle expiration. Every request but a preflight must be signed (SigV4 header or presigned query) by the
// sandbox's credentials, or carry a signed POST policy: the buckets are private. Objects are kept in memory, and on
// disk under the state folder when the sandbox persists. With no bucket in the template the service still answers,
// with NoSuchBucket.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { headerOf, type Route } from '../aws/http.ts';
import type { ServiceInstance } from '../aws/service.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import type { BucketModel } from '../template/model.ts';
import type { ObjectCall, S3Context } from './context.ts';
import { corsHeaders, corsRules, preflight } from './cors.ts';
import { noSuchBucket, notImplemented, S3Error, sendS3Error } from './errors.ts';
import { expirationRules, startLifecycleSweeper } from './lifecycle.ts';
import { deleteObject } from './operations/deleteObject.ts';
import { getObject } from './operations/getObject.ts';
import { postObject } from './operations/postObject.ts';
import { putObject } from './operations/putObject.ts';
import { ObjectStore } from './store.ts';

export interface S3Options {
  buckets: readonly BucketModel[];
  region: string;
  iamPrincipals: readonly IamPrincipal[];
  /** The path the service answers under, without a trailing slash. Default `/s3`. */
  pathPrefix?: string;
  /** With persist, objects are kept in `stateDir` (one folder per bucket) and read back at start. */
  persist: boolean;
  stateDir: string;
  log: Logger;
  /** The clock for signatures, policy expirations, Last-Modified and lifecycle; Date.now by default (tests move it). */
  now?: () => number;
  /** How often expired objects are removed. Default 60 s. */
  lifecycleSweepIntervalMs?: number;
  /** The largest object the sandbox keeps (it holds them in memory). Default 100 MiB; S3's own limit is 5 GiB. */
  maxObjectBytes?: number;
}

export interface S3Service extends ServiceInstance {
  /** Bucket names, in template order. */
  readonly buckets: readonly string[];
  /** Removes the objects lifecycle rules have expired by now; returns how many. */
  sweepLifecycleNow(): number;
}

/**
 * Query parameters of an object request that name no sub-resource: the SDK's x-id, the presigning parameters and the
 * x-amz-* headers a presigner hoists into the query, and the response-* overrides.
 */
const PLAIN_QUERY = /^(x-id|x-amz-.*|response-.*)$/i;

const OPERATIONS: Record<string, ((context: S3Context, call: ObjectCall) => Promise<void>) | undefined> = {
  PUT: putObject, GET: getObject, HEAD: getObject, DELETE: deleteObject,
};

export function startS3(options: S3Options): S3Service {
  const pathPrefix = options.pathPrefix ?? '/s3';
  const names = options.buckets.map((bucket) => bucket.bucketName);
  const store = new ObjectStore(names, options.persist ? options.stateDir : undefined);
  const context: S3Context = {
    store,
    auth: { principals: options.iamPrincipals, region: options.region, now: options.now ?? Date.now },
    cors: new Map(options.buckets.map((bucket) => [bucket.bucketName, corsRules(bucket.corsConfiguration)])),
    maxObjectBytes: options.maxObjectBytes ?? 100 * 1024 * 1024,
    pathPrefix,
  };
  const sweeper = startLifecycleSweeper({
    store,
    rules: new Map(options.buckets.map((bucket) => [bucket.bucketName, expirationRules(bucket.lifecycleConfiguration)])),
    intervalMs: options.lifecycleSweepIntervalMs ?? 60_000,
    now: context.auth.now,
    log: options.log,
  });
  const route: Route = async (req, res) => {
    const [rawPath = '', rawQuery = ''] = (req.url ?? '/').split('?', 2);
    if (rawPath !== pathPrefix && !rawPath.startsWith(`${pathPrefix}/`)) return false;
    const rest = rawPath.slice(pathPrefix.length + 1);
    const slash = rest.indexOf('/');
    const method = req.method ?? 'GET';
    const decoded = decodePath(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? '' : rest.slice(slash + 1));
    if (!decoded) {
      req.resume();
      sendS3Error(res, new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400, { URI: rawPath }), method);
      return true;
    }
    const call: ObjectCall = { req, res, rawPath, query: new URLSearchParams(rawQuery), ...decoded };
    for (const [name, value] of Object.entries(corsHeaders(context.cors.get(call.bucket) ?? [], headerOf(req.headers, 'origin'), method))) res.setHeader(name, value);
    try {
      await serve(context, call, method);
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      options.log.warn(`${method} ${rawPath} refused: ${error.errorType}: ${error.message}`);
      // What the client still sends is read and dropped, so it receives the error rather than a reset connection.
      req.resume();
      sendS3Error(res, error, method);
    }
    return true;
  };
  return { routes: [route], buckets: names, sweepLifecycleNow: () => sweeper.sweepNow(), stop: () => sweeper.stop() };
}

function decodePath(bucket: string, key: string): { bucket: string; key: string } | null {
  try {
    return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key) };
  } catch {
    return null;
  }
}

async function serve(context: S3Context, call: ObjectCall, method: string): Promise<void> {
  if (call.bucket === '') throw notImplemented(`${method} on the service (ListBuckets)`);
  if (!context.store.has(call.bucket)) throw noSuchBucket(call.bucket);
  if (method === 'OPTIONS') {
    answerPreflight(context, call.req, call.res, call.bucket);
    return;
  }
  if (call.key === '') {
    if (method !== 'POST') throw notImplemented(`${method} on a bucket`);
    await postObject(context, call);
    return;
  }
  const subresource = [...call.query.keys()].find((name) => !PLAIN_QUERY.test(name));
  const operation = OPERATIONS[method];
  if (subresource !== undefined || !operation) throw notImplemented(`${method} ${subresource === undefined ? 'on an object' : `?${subresource}`}`);
  await operation(context, call);
}

function answerPreflight(context: S3Context, req: IncomingMessage, res: ServerResponse, bucket: string): void {
  const headers = preflight(context.cors.get(bucket) ?? [], {
    origin: headerOf(req.headers, 'origin'), method: headerOf(req.headers, 'access-control-request-method'), requestHeaders: headerOf(req.headers, 'access-control-request-headers'),
  });
  res.writeHead(200, { ...headers, 'content-length': '0' }).end();
}

/** Where a sandbox with persistence keeps S3's objects, under its state folder. */
export const s3StateDir = (stateDir: string): string => join(stateDir, 's3');
