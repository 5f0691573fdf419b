// The sandbox's S3 applies the bucket's CORS rules to browsers' preflights, expires objects by its lifecycle rules on a
// clock the test moves, and with persistence keeps objects across a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { failureOf } from '../../../support/failure.ts';
import { BUCKET, s3ErrorOf, serveS3, type S3Harness } from './serve.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('CORS preflights', () => {
  let s3: S3Harness;
  beforeAll(async () => {
    s3 = await serveS3();
  });
  afterAll(async () => {
    await s3.stop();
  });

  const preflight = (origin: string, method: string, headers?: string): Promise<Response> => fetch(`${s3.endpoint}/${BUCKET}`, {
    method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, ...(headers === undefined ? {} : { 'access-control-request-headers': headers }) },
  });

  it('answers an allowed origin, method and headers with the rule\'s headers', async () => {
    const response = await preflight('http://app.example', 'POST', 'content-type,x-amz-date');

    expect(response.status).toBe(200);
    expect(Object.fromEntries(['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-max-age', 'access-control-expose-headers', 'access-control-allow-credentials'].map((h) => [h, response.headers.get(h)]))).toEqual({
      'access-control-allow-origin': 'http://app.example',
      'access-control-allow-methods': 'GET, POST, PUT',
      'access-control-allow-headers': 'content-type, x-amz-date',
      'access-control-max-age': '600',
      'access-control-expose-headers': 'ETag',
      'access-control-allow-credentials': 'true',
    });
  });

  it('refuses another origin with 403 AccessForbidden (S3\'s CORSResponse wording, as reported by its users)', async () => {
    const response = await preflight('http://evil.example', 'POST');

    expect(response.status).toBe(403);
    expect((await s3ErrorOf(response)).Code).toBe('AccessForbidden');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a method the rule does not allow', async () => {
    const response = await preflight('http://app.example', 'DELETE');

    expect(response.status).toBe(403);
  });

  it('refuses a header the rule does not allow', async () => {
    const response = await preflight('http://app.example', 'PUT', 'x-custom');

    expect(response.status).toBe(403);
  });

  it('asks for the Origin header when a preflight has none (400 BadRequest)', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}/k`, { method: 'OPTIONS', headers: { 'access-control-request-method': 'GET' } });

    expect(response.status).toBe(400);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'BadRequest', Message: 'Insufficient information. Origin request header needed.' });
  });
});

describe('CORS on a bucket without a CORS configuration', () => {
  it('refuses preflights with "CORS is not enabled for this bucket."', async () => {
    const s3 = await serveS3({ buckets: [{ logicalId: 'Plain', bucketName: 'plain-bucket' }] });

    const response = await fetch(`${s3.endpoint}/plain-bucket`, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'GET' } }).finally(() => s3.stop());

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessForbidden', Message: 'CORSResponse: CORS is not enabled for this bucket.' });
  });
});

describe('lifecycle expiration', () => {
  it('removes an object under the rule\'s prefix at the midnight UTC after its age passes ExpirationInDays, and leaves others', async () => {
    const s3 = await serveS3();
    try {
      await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/unsent.png', Body: 'x' }));
      await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept/sent.png', Body: 'y' }));
      const nextMidnight = Math.ceil((Date.now() + DAY_MS) / DAY_MS) * DAY_MS;
      s3.clock.offsetMs = nextMidnight - Date.now() - 60_000;
      const early = s3.service.sweepLifecycleNow();
      s3.clock.offsetMs = nextMidnight - Date.now() + 1_000;

      const removed = s3.service.sweepLifecycleNow();

      expect([early, removed]).toEqual([0, 1]);
      expect(await failureOf(s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/unsent.png' })))).toMatchObject({ name: 'NoSuchKey' });
      const kept = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept/sent.png' }));
      expect(await kept.Body?.transformToString()).toBe('y');
    } finally {
      await s3.stop();
    }
  });
});

describe('persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 's3-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps objects, their metadata and deletions across a restart when persisting', async () => {
    const first = await serveS3({ persist: true, stateDir: dir });
    await first.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept/ä ö.txt', Body: 'survives', ContentType: 'text/plain', Metadata: { owner: 'ann' } }));
    await first.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kept/deleted.txt', Body: 'gone' }));
    await first.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'kept/deleted.txt' }));
    await first.stop();

    const second = await serveS3({ persist: true, stateDir: dir });
    const got = await second.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept/ä ö.txt' }));
    const body = await got.Body?.transformToString();
    const deleted = await failureOf(second.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept/deleted.txt' })));
    await second.stop();

    expect(body).toBe('survives');
    expect(got).toMatchObject({ ContentType: 'text/plain', Metadata: { owner: 'ann' } });
    expect(deleted).toMatchObject({ name: 'NoSuchKey' });
  });

  it('starts empty without persistence, whatever the state folder holds', async () => {
    const s3 = await serveS3({ persist: false, stateDir: dir });

    const error = await failureOf(s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'kept/ä ö.txt' }))).finally(() => s3.stop());

    expect(error).toMatchObject({ name: 'NoSuchKey' });
  });
});
