// An attachment's object in S3, reached with a SigV4-signed fetch (no S3 client in the bundles: the chat function's size
// is watched). Used by the attachments function (HeadObject) and the chat function (GetObject). The endpoint is
// AWS_ENDPOINT_URL_S3 path-style when it is set (the sandbox), else the bucket's virtual-hosted regional address
// ("Virtual hosting of buckets" in the Amazon S3 user guide).
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../shared/credentials.ts';

type Env = Record<string, string | undefined>;

export interface S3Location {
  region: string;
  credentials: AwsCredentials;
  /** AWS_ENDPOINT_URL_S3, when set. */
  endpoint?: string | undefined;
}

export function s3LocationFromEnv(env: Env, credentials: AwsCredentials): S3Location {
  return { region: env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1', credentials, endpoint: env['AWS_ENDPOINT_URL_S3'] || undefined };
}

/** The bucket's URL (what a browser POSTs an upload to), without a trailing slash. */
export function bucketUrl(location: S3Location, bucket: string): string {
  if (location.endpoint !== undefined) return `${location.endpoint.replace(/\/$/, '')}/${encodeURIComponent(bucket)}`;
  return `https://${bucket}.s3.${location.region}.amazonaws.com`;
}

/** An object's URL: the key's segments percent-encoded, its slashes kept. */
export function objectUrl(location: S3Location, bucket: string, key: string): URL {
  return new URL(`${bucketUrl(location, bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`);
}

/**
 * A signed GET or HEAD of one object; the response as S3 gives it. S3 signs the path as sent, without encoding it a
 * second time, and wants the payload's hash in x-amz-content-sha256 ("Signature Calculations for the Authorization
 * Header: Transferring Payload in a Single Chunk").
 */
export async function fetchObject(location: S3Location, method: 'GET' | 'HEAD', bucket: string, key: string, signal?: AbortSignal): Promise<Response> {
  const url = objectUrl(location, bucket, key);
  const signer = new SignatureV4({ credentials: location.credentials, region: location.region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: true });
  const signed = await signer.sign({
    method, protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname, query: {}, headers: { host: url.host },
  });
  return fetch(url, { method, headers: signed.headers, ...(signal ? { signal } : {}) });
}

/**
 * Whether S3's answer says the object is not there. Without s3:ListBucket, which the functions' roles do not have,
 * S3 answers a missing object with 403 rather than 404 ("HeadObject", "GetObject" in the Amazon S3 API Reference);
 * the roles may read every object under the prefix, so a 403 there means missing too.
 */
export function isMissing(response: Response): boolean {
  return response.status === 404 || response.status === 403;
}
