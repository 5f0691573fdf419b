// The sandbox's S3 called by @aws-sdk/client-s3 and @aws-sdk/s3-request-presigner as an application calls S3: objects
// put, read (whole, by range, with their checksum), described and deleted; presigned GET URLs fetched with fetch; and
// S3's refusals (wrong credentials, expired URLs, unsigned requests, missing keys and buckets).
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchBucket, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { failureOf } from '../../../support/failure.ts';
import { BUCKET, PRINCIPAL, s3ErrorOf, serveS3, type S3Harness } from './serve.ts';

let s3: S3Harness;

beforeAll(async () => {
  s3 = await serveS3();
});

afterAll(async () => {
  await s3.stop();
});

describe('objects through @aws-sdk/client-s3', () => {
  it('stores an object and reads it back with its type, metadata and ETag', async () => {
    const put = await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'docs/a b+c.txt', Body: 'hello, world', ContentType: 'text/plain', Metadata: { owner: 'ann' } }));

    const got = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'docs/a b+c.txt' }));

    expect(await got.Body?.transformToString()).toBe('hello, world');
    expect(got).toMatchObject({ ContentType: 'text/plain', ContentLength: 12, Metadata: { owner: 'ann' }, ETag: put.ETag });
    expect(put.ETag).toBe('"e4d7f1b4ed2e42d15898f4b27b019da4"');
  });

  it('stores a binary body byte for byte', async () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'bin/all-bytes', Body: bytes }));

    const got = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'bin/all-bytes' }));

    expect(Buffer.from(await got.Body?.transformToByteArray() ?? [])).toEqual(Buffer.from(bytes));
  });

  it('decodes a streamed body the SDK sends aws-chunked with its CRC32 as a trailer', async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed.txt', Body: Readable.from([Buffer.from('streamed '), Buffer.from('body')]), ContentLength: 13 }));

    const got = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed.txt' }));

    expect(await got.Body?.transformToString()).toBe('streamed body');
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('refuses a body whose Content-MD5 does not match it with BadDigest', async () => {
    const error = await failureOf(s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'md5.txt', Body: 'abc', ContentMD5: Buffer.alloc(16).toString('base64') })));

    expect(error).toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
  });

  it('answers a byte range with 206 and its Content-Range', async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Body: '0123456789' }));

    const got = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt', Range: 'bytes=2-5' }));

    expect(await got.Body?.transformToString()).toBe('2345');
    expect(got.ContentRange).toBe('bytes 2-5/10');
  });

  it('refuses a range past the end with InvalidRange (416)', async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'short.txt', Body: 'abc' }));

    const error = await failureOf(s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'short.txt', Range: 'bytes=10-20' })));

    expect(error).toMatchObject({ name: 'InvalidRange', $metadata: { httpStatusCode: 416 } });
  });

  it('returns the CRC32 the SDK sent when asked for checksums, which the SDK then validates', async () => {
    const put = await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sum.txt', Body: 'checked', ChecksumAlgorithm: 'CRC32' }));

    const got = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sum.txt', ChecksumMode: 'ENABLED' }));

    expect(await got.Body?.transformToString()).toBe('checked');
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
  });

  it('describes an object with HeadObject without its body', async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'head.json', Body: '{"a":1}', ContentType: 'application/json' }));

    const head = await s3.client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'head.json' }));

    expect(head).toMatchObject({ ContentType: 'application/json', ContentLength: 7 });
    expect(head.LastModified).toBeInstanceOf(Date);
  });

  it('deletes an object, after which GetObject answers NoSuchKey', async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone.txt', Body: 'x' }));

    await s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' }));

    const error = await failureOf(s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' })));
    expect(error).toBeInstanceOf(NoSuchKey);
    expect(error).toMatchObject({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
  });

  it('answers HeadObject of a missing key with a bare 404 (NotFound in the SDK)', async () => {
    const error = await failureOf(s3.client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'never' })));

    expect(error).toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });

  it('answers a bucket the template does not have with NoSuchBucket', async () => {
    const error = await failureOf(s3.client().send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));

    expect(error).toBeInstanceOf(NoSuchBucket);
  });

  it('refuses an unknown access key with InvalidAccessKeyId and stores nothing', async () => {
    const error = await failureOf(s3.client({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'intruder.txt', Body: 'x' })));

    expect(error).toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    expect(s3.service.buckets).toEqual([BUCKET]);
    expect(await failureOf(s3.client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'intruder.txt' })))).toMatchObject({ name: 'NotFound' });
  });

  it('refuses a wrong secret with SignatureDoesNotMatch (403)', async () => {
    const error = await failureOf(s3.client({ accessKeyId: 'AKIASANDBOXS3TEST', secretAccessKey: 'wrong' }).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt' })));

    expect(error).toBeInstanceOf(S3ServiceException);
    expect(error).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses an unsigned request with AccessDenied, the buckets being private', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}/range.txt`);

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessDenied', Message: 'Access Denied' });
  });

  it('refuses a body whose x-amz-content-sha256 does not match it (XAmzContentSHA256Mismatch)', async () => {
    const client = s3.client();
    client.middlewareStack.add((next) => async (args) => {
      const request = args.request as { body: unknown };
      request.body = 'tampered body'; // as long as the signed one, so Content-Length still holds
      return next(args);
    }, { step: 'finalizeRequest', priority: 'low', name: 'tamper' });

    const error = await failureOf(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tampered.txt', Body: 'original body', ChecksumAlgorithm: undefined })));

    expect(error).toMatchObject({ name: 'XAmzContentSHA256Mismatch', $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a signature scoped to another region with AuthorizationHeaderMalformed', async () => {
    const client = new S3Client({ endpoint: s3.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials: PRINCIPAL, maxAttempts: 1 });

    const error = await failureOf(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt' })));

    expect(error).toMatchObject({ name: 'AuthorizationHeaderMalformed', message: "The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'" });
  });

  it('refuses a request signed over 15 minutes away from the server\'s time with RequestTimeTooSkewed', async () => {
    s3.clock.offsetMs = 16 * 60 * 1000;
    const client = s3.client();
    s3.clock.offsetMs = 0;

    const error = await failureOf(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt' })));

    expect(error).toMatchObject({ name: 'RequestTimeTooSkewed', $metadata: { httpStatusCode: 403 } });
  });

  it('answers a path that is not valid percent-encoding with InvalidURI', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}/bad%E0%A4%A`);

    expect(response.status).toBe(400);
    expect((await s3ErrorOf(response)).Code).toBe('InvalidURI');
  });

  it('answers an operation it does not serve with NotImplemented (501), saying what it serves', async () => {
    const url = await getSignedUrl(s3.client(), new GetObjectCommand({ Bucket: BUCKET, Key: 'range.txt' }));

    const response = await fetch(`${url}&tagging=`);

    expect(response.status).toBe(501);
    expect((await s3ErrorOf(response)).Message).toContain('serves PutObject, GetObject, HeadObject, DeleteObject and POST uploads');
  });
});

describe('presigned GET URLs from @aws-sdk/s3-request-presigner', () => {
  it('serves the object to a plain fetch, with the response-content-disposition asked for', async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'shared/report.txt', Body: 'the report', ContentType: 'text/plain' }));
    const url = await getSignedUrl(s3.client(), new GetObjectCommand({ Bucket: BUCKET, Key: 'shared/report.txt', ResponseContentDisposition: 'attachment; filename="r.txt"' }), { expiresIn: 60 });

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('the report');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="r.txt"');
  });

  it('refuses an expired URL with AccessDenied "Request has expired" and its times', async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'old.txt', Body: 'x' }));
    const url = await getSignedUrl(s3.client(), new GetObjectCommand({ Bucket: BUCKET, Key: 'old.txt' }), { expiresIn: 60 });
    s3.clock.offsetMs = 61_000;

    const response = await fetch(url).finally(() => { s3.clock.offsetMs = 0; });

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response, 'X-Amz-Expires')).toEqual({ Code: 'AccessDenied', Message: 'Request has expired', 'X-Amz-Expires': '60' });
  });

  it('refuses a URL whose key was changed after signing with SignatureDoesNotMatch', async () => {
    const url = await getSignedUrl(s3.client(), new GetObjectCommand({ Bucket: BUCKET, Key: 'shared/report.txt' }));

    const response = await fetch(url.replace('report.txt', 'other.txt'));

    expect(response.status).toBe(403);
    expect((await s3ErrorOf(response)).Code).toBe('SignatureDoesNotMatch');
  });

  it('refuses X-Amz-Expires over a week with AuthorizationQueryParametersError', async () => {
    const url = await getSignedUrl(s3.client(), new GetObjectCommand({ Bucket: BUCKET, Key: 'shared/report.txt' }));

    const response = await fetch(url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604801'));

    expect(response.status).toBe(400);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AuthorizationQueryParametersError', Message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800' });
  });

  it('refuses a presigned PUT whose hoisted x-amz-checksum-crc32 (the empty body\'s, as the SDK signs it by default) does not match the body', async () => {
    const url = await getSignedUrl(s3.client(), new PutObjectCommand({ Bucket: BUCKET, Key: 'put-by-default-url.txt' }), { expiresIn: 60 });

    const response = await fetch(url, { method: 'PUT', body: 'sent by url' });

    expect(response.status).toBe(400);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'BadDigest', Message: 'The CRC32 you specified did not match the calculated checksum.' });
  });

  it('lets a presigned PUT URL made without a checksum upload an object with fetch', async () => {
    const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: PRINCIPAL, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const url = await getSignedUrl(client, new PutObjectCommand({ Bucket: BUCKET, Key: 'put-by-url.txt' }), { expiresIn: 60 });

    const response = await fetch(url, { method: 'PUT', body: 'sent by url' });

    expect(response.status).toBe(200);
    const got = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'put-by-url.txt' }));
    expect(await got.Body?.transformToString()).toBe('sent by url');
  });
});
