// Browser uploads to the sandbox's S3: a policy made by @aws-sdk/s3-presigned-post's createPresignedPost, posted as
// multipart/form-data by fetch and FormData, as a page posts it. What the policy allows is stored; what it refuses is
// answered with S3's error document and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost } from '@aws-sdk/s3-presigned-post';
import { BUCKET, PRINCIPAL, s3ErrorOf, serveS3, type S3Harness } from './serve.ts';

let s3: S3Harness;

beforeAll(async () => {
  s3 = await serveS3();
});

afterAll(async () => {
  await s3.stop();
});

/** What the product's createAttachmentUpload would make: the user's prefix, one content type, a size cap, a short expiry. */
function presign(client: S3Client = s3.client(), extra: { Fields?: Record<string, string>; Expires?: number } = {}): Promise<PresignedPost> {
  return createPresignedPost(client, {
    Bucket: BUCKET,
    Key: 'users/u1/${filename}',
    Conditions: [['content-length-range', 1, 1024], ['eq', '$Content-Type', 'image/png']],
    Fields: { 'Content-Type': 'image/png', ...extra.Fields },
    Expires: extra.Expires ?? 60,
  });
}

function upload(post: PresignedPost, file: Uint8Array<ArrayBuffer> | string, change: Record<string, string> = {}, filename = 'photo.png'): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...change })) form.append(name, value);
  form.append('file', new Blob([file]), filename);
  return fetch(post.url, { method: 'POST', body: form, headers: { origin: 'http://app.example' } });
}

/** Whether the key holds an object: HeadObject answers it, or a 404 says it does not. */
async function stored(key: string): Promise<boolean> {
  try {
    await s3.client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NotFound') return false;
    throw error;
  }
}

describe('a presigned POST', () => {
  it('stores a file within the policy under the expanded ${filename}, answering 204 with its ETag and CORS headers', async () => {
    const post = await presign();

    const response = await upload(post, new Uint8Array([137, 80, 78, 71, 1, 2, 3]));

    expect(response.status).toBe(204);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.example');
    const got = await s3.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'users/u1/photo.png' }));
    expect(got.ContentType).toBe('image/png');
    expect([...await got.Body?.transformToByteArray() ?? []]).toEqual([137, 80, 78, 71, 1, 2, 3]);
  });

  it('answers success_action_status 201 with the XML PostResponse', async () => {
    const post = await presign(s3.client(), { Fields: { success_action_status: '201' } });

    const response = await upload(post, 'png bytes', {}, 'created.png');

    expect(response.status).toBe(201);
    expect(await response.text()).toMatch(new RegExp(`<PostResponse><Location>.*/s3/${BUCKET}/users/u1/created.png</Location><Bucket>${BUCKET}</Bucket><Key>users/u1/created.png</Key><ETag>&quot;[0-9a-f]{32}&quot;</ETag></PostResponse>`));
  });

  it('refuses a file over content-length-range with EntityTooLarge, measured on the file part, and stores nothing', async () => {
    const post = await presign();

    const response = await upload(post, new Uint8Array(1025), {}, 'big.png');

    expect(response.status).toBe(400);
    expect(await s3ErrorOf(response, 'ProposedSize', 'MaxSizeAllowed')).toEqual({ Code: 'EntityTooLarge', Message: 'Your proposed upload exceeds the maximum allowed size', ProposedSize: '1025', MaxSizeAllowed: '1024' });
    expect(await stored('users/u1/big.png')).toBe(false);
  });

  it('refuses an empty file under the range\'s minimum with EntityTooSmall', async () => {
    const post = await presign();

    const response = await upload(post, '', {}, 'empty.png');

    expect(response.status).toBe(400);
    expect((await s3ErrorOf(response)).Code).toBe('EntityTooSmall');
    expect(await stored('users/u1/empty.png')).toBe(false);
  });

  it('refuses another content type with AccessDenied naming the failed condition, and stores nothing', async () => {
    const post = await presign();

    const response = await upload(post, '<script>', { 'Content-Type': 'text/html' }, 'page.png');

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessDenied', Message: 'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type", "image/png"]' });
    expect(await stored('users/u1/page.png')).toBe(false);
  });

  it('refuses a key outside the starts-with prefix, and stores nothing', async () => {
    const post = await presign();

    const response = await upload(post, 'png', { key: 'users/u2/stolen.png' });

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessDenied', Message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "users/u1/"]' });
    expect(await stored('users/u2/stolen.png')).toBe(false);
  });

  it('refuses a form field no condition names ("Extra input fields")', async () => {
    const post = await presign();

    const response = await upload(post, 'png', { 'x-amz-meta-note': 'sneaked in' }, 'extra.png');

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessDenied', Message: 'Invalid according to Policy: Extra input fields: x-amz-meta-note' });
    expect(await stored('users/u1/extra.png')).toBe(false);
  });

  it('refuses an expired policy with "Policy expired."', async () => {
    const post = await presign(s3.client(), { Expires: 60 });
    s3.clock.offsetMs = 61_000;

    const response = await upload(post, 'png', {}, 'late.png').finally(() => { s3.clock.offsetMs = 0; });

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessDenied', Message: 'Invalid according to Policy: Policy expired.' });
    expect(await stored('users/u1/late.png')).toBe(false);
  });

  it('refuses a tampered signature with SignatureDoesNotMatch', async () => {
    const post = await presign();
    const signature = post.fields['X-Amz-Signature'] ?? '';

    const response = await upload(post, 'png', { 'X-Amz-Signature': `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}` }, 'forged.png');

    expect(response.status).toBe(403);
    expect((await s3ErrorOf(response)).Code).toBe('SignatureDoesNotMatch');
    expect(await stored('users/u1/forged.png')).toBe(false);
  });

  it('refuses a policy edited after signing (a bigger size cap) with SignatureDoesNotMatch', async () => {
    const post = await presign();
    const policy = JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString()) as { conditions: unknown[] };
    policy.conditions[0] = ['content-length-range', 1, 10_000_000];

    const response = await upload(post, new Uint8Array(2048), { Policy: Buffer.from(JSON.stringify(policy)).toString('base64') }, 'edited.png');

    expect(response.status).toBe(403);
    expect((await s3ErrorOf(response)).Code).toBe('SignatureDoesNotMatch');
  });

  it('refuses a policy signed with the wrong secret with SignatureDoesNotMatch', async () => {
    const post = await presign(s3.client({ accessKeyId: PRINCIPAL.accessKeyId, secretAccessKey: 'not-the-secret' }));

    const response = await upload(post, 'png', {}, 'wrong-secret.png');

    expect(response.status).toBe(403);
    expect((await s3ErrorOf(response)).Code).toBe('SignatureDoesNotMatch');
  });

  it('refuses an access key the sandbox does not know with InvalidAccessKeyId', async () => {
    const post = await presign(s3.client({ accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }));

    const response = await upload(post, 'png', {}, 'unknown-key.png');

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response, 'AWSAccessKeyId')).toEqual({ Code: 'InvalidAccessKeyId', Message: 'The AWS Access Key Id you provided does not exist in our records.', AWSAccessKeyId: 'AKIAUNKNOWN' });
  });

  it('refuses a form without a policy as anonymous: AccessDenied', async () => {
    const form = new FormData();
    form.append('key', 'users/u1/anon.png');
    form.append('file', new Blob(['x']), 'anon.png');

    const response = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'POST', body: form });

    expect(response.status).toBe(403);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessDenied', Message: 'Access Denied' });
  });

  it('refuses a form without a file with InvalidArgument', async () => {
    const post = await presign();
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);

    const response = await fetch(post.url, { method: 'POST', body: form });

    expect(response.status).toBe(400);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'InvalidArgument', Message: 'POST requires exactly one file upload per request.' });
  });

  it('refuses a POST that is not multipart/form-data with PreconditionFailed (412)', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'POST', body: 'key=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    expect(response.status).toBe(412);
    expect(await s3ErrorOf(response, 'Condition')).toEqual({ Code: 'PreconditionFailed', Message: 'At least one of the pre-conditions you specified did not hold', Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' });
  });

  it('redirects to success_action_redirect with 303, adding the bucket, key and ETag', async () => {
    const post = await presign(s3.client(), { Fields: { success_action_redirect: 'http://app.example/done?from=upload' } });

    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob(['png']), 'redirected.png');

    const response = await fetch(post.url, { method: 'POST', body: form, redirect: 'manual' });

    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ from: 'upload', bucket: BUCKET, key: 'users/u1/redirected.png' });
  });

  it('refuses a form missing X-Amz-Credential with InvalidArgument naming the field', async () => {
    const post = await presign();
    const fields = Object.fromEntries(Object.entries(post.fields).filter(([name]) => name !== 'X-Amz-Credential'));

    const response = await upload({ ...post, fields }, 'png', {}, 'no-credential.png');

    expect(response.status).toBe(400);
    expect(await s3ErrorOf(response)).toEqual({ Code: 'InvalidArgument', Message: "Bucket POST must contain a field named 'X-Amz-Credential'.  If it is specified, please check the order of the fields." });
  });

  it('refuses a policy signed for another region', async () => {
    const client = new S3Client({ endpoint: s3.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials: PRINCIPAL });
    const post = await presign(client);

    const response = await upload({ ...post, url: `${s3.endpoint}/${BUCKET}` }, 'png', {}, 'region.png');

    expect(response.status).toBe(400);
    expect((await s3ErrorOf(response)).Message).toBe("Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'");
  });

  it('refuses a body that is not well-formed multipart/form-data with MalformedPOSTRequest', async () => {
    const response = await fetch(`${s3.endpoint}/${BUCKET}`, { method: 'POST', body: 'not multipart at all', headers: { 'content-type': 'multipart/form-data; boundary=xyz' } });

    expect(response.status).toBe(400);
    expect((await s3ErrorOf(response)).Code).toBe('MalformedPOSTRequest');
  });
});
