// The presigned POST of one attachment ("Browser-Based Uploads Using POST (AWS Signature Version 4)" and "Creating a
// POST Policy" in the Amazon S3 API Reference): a policy that admits exactly one object, its key, its Content-Type and
// its declared size, until a short expiry; signed with the function role's key for S3. The form fields have the shape
// @aws-sdk/s3-presigned-post's createPresignedPost gives, so any front end that posts those posts these.
import { createHmac } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { getSigningKey } from '@smithy/signature-v4';
import type { AwsCredentials } from '../shared/credentials.ts';
import { bucketUrl, type S3Location } from './s3-object.ts';

export interface PostRequest {
  bucket: string;
  key: string;
  contentType: string;
  /** The file's exact size: the policy's content-length-range is [size, size]. */
  size: number;
  expiresInSeconds: number;
  now: number;
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  /** The policy's expiration, ISO 8601. */
  expiresAt: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** 2025-05-01T12:00:00Z, as policies write times. */
const isoSeconds = (time: number): string => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function presignPost(location: S3Location, request: PostRequest): Promise<PresignedPost> {
  const { credentials, region } = location;
  const amzDate = isoSeconds(request.now).replace(/[-:]/g, '');
  const day = amzDate.slice(0, 8);
  const signing: Record<string, string> = {
    bucket: request.bucket,
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Credential': `${credentials.accessKeyId}/${day}/${region}/s3/aws4_request`,
    'X-Amz-Date': amzDate,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
  };
  const expiresAt = isoSeconds(request.now + request.expiresInSeconds * 1000);
  // Every field the form sends is named by a condition, as S3 requires; the key and type exactly, the size exactly.
  const conditions: unknown[] = [
    ['content-length-range', request.size, request.size],
    { 'Content-Type': request.contentType },
    ...Object.entries(signing).map(([name, value]) => ({ [name]: value })),
    { key: request.key },
  ];
  const policy = Buffer.from(JSON.stringify({ expiration: expiresAt, conditions }), 'utf8').toString('base64');
  const signature = createHmac('sha256', await signingKey(credentials, day, region)).update(policy, 'utf8').digest('hex');
  return {
    url: bucketUrl(location, request.bucket),
    fields: { 'Content-Type': request.contentType, ...signing, key: request.key, Policy: policy, 'X-Amz-Signature': signature },
    expiresAt,
  };
}

function signingKey(credentials: AwsCredentials, day: string, region: string): Promise<Uint8Array> {
  return getSigningKey(Sha256, credentials, day, region, 's3');
}
