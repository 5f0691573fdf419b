// The attachments function against the sandbox's S3 (its POST policy checks, SigV4, HEAD): the presigned POST it signs
// admits exactly the declared object and nothing else, a browser-style fetch uploads it, and verify tells an upload
// that is there as declared from one never made, of another size or of another type. The chat function's reader of
// the same objects is checked here too.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { handler, InvalidEventError, sign, verify, type SignEvent } from '../../../../functions/attachments/handler.ts';
import type { S3Location } from '../../../../functions/attachments/s3-object.ts';
import { s3AttachmentReader } from '../../../../functions/chat/attachments.ts';
import { MAX_TEXT_BYTES, UPLOAD_EXPIRY_SECONDS } from '../../../../resolvers/attachment-limits.ts';
import { BUCKET, PRINCIPAL, s3ErrorOf, serveS3, type S3Harness } from '../../sandbox/s3/serve.ts';

const OWNER = '7c1e4a52-90d1-4b8e-9f3a-2d6b5e8c1a40';
const CONVERSATION = '01JT4J9700R1ECR8N3CMBRPDH4';
const KEY_PREFIX = `attachments/${OWNER}/${CONVERSATION}/`;

let s3: S3Harness;
let location: S3Location;
let next = 0;

beforeAll(async () => {
  s3 = await serveS3();
  location = { region: 'us-east-1', credentials: PRINCIPAL, endpoint: s3.endpoint };
});

afterAll(async () => {
  await s3.stop();
});

/** A new attachment id (a ULID) for each test. */
function attachmentId(): string {
  next += 1;
  return `01JT4JA0${String(next).padStart(18, '0')}`;
}

const signEvent = (overrides: Partial<SignEvent> = {}): SignEvent => ({ action: 'sign', owner: OWNER, conversationId: CONVERSATION, attachmentId: attachmentId(), contentType: 'image/png', size: 5, ...overrides });

/** The upload as a page posts it: every field, then the file, with fetch and FormData. */
function post(signed: { url: string; fields: Record<string, string> }, file: string | Uint8Array<ArrayBuffer>, change: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...signed.fields, ...change })) form.append(name, value);
  form.append('file', new Blob([file]), 'cat.png');
  return fetch(signed.url, { method: 'POST', body: form });
}

describe('sign', () => {
  it('gives a POST to the bucket whose fields have the shape of @aws-sdk/s3-presigned-post\'s, under the owner\'s prefix', async () => {
    const event = signEvent();

    const signed = await sign(event, location, BUCKET);

    const reference = await createPresignedPost(s3.client(), { Bucket: BUCKET, Key: signed.key, Fields: { 'Content-Type': 'image/png' } });
    expect(signed.url).toBe(reference.url);
    expect(Object.keys(signed.fields).sort()).toEqual(Object.keys(reference.fields).sort());
    expect(signed.key).toBe(`${KEY_PREFIX}${event.attachmentId}`);
    expect(signed.fields.key).toBe(signed.key);
  });

  it('signs a policy that expires after the short expiry and admits exactly the declared size', async () => {
    const now = Date.UTC(2025, 4, 1, 12, 0, 0);

    const signed = await sign(signEvent({ size: 1234 }), location, BUCKET, now);

    const policy = JSON.parse(Buffer.from(signed.fields.Policy ?? '', 'base64').toString()) as { expiration: string; conditions: unknown[] };
    expect(signed.expiresAt).toBe(new Date(now + UPLOAD_EXPIRY_SECONDS * 1000).toISOString().replace('.000', ''));
    expect(policy.expiration).toBe(signed.expiresAt);
    expect(policy.conditions).toContainEqual(['content-length-range', 1234, 1234]);
    expect(policy.conditions).toContainEqual({ 'Content-Type': 'image/png' });
  });

  it('lets a fetch POST of the declared file through S3\'s policy check', async () => {
    const signed = await sign(signEvent(), location, BUCKET);

    const response = await post(signed, 'image');

    expect(response.status).toBe(204);
  });

  it('is refused by S3 for a file over the declared size: EntityTooLarge', async () => {
    const signed = await sign(signEvent(), location, BUCKET);

    const response = await post(signed, 'a bigger image');

    expect(response.status).toBe(400);
    expect((await s3ErrorOf(response)).Code).toBe('EntityTooLarge');
  });

  it('is refused by S3 for another content type, or another key', async () => {
    const signed = await sign(signEvent(), location, BUCKET);

    const html = await post(signed, 'image', { 'Content-Type': 'text/html' });
    const elsewhere = await post(signed, 'image', { key: `attachments/another-user/${CONVERSATION}/x` });

    expect([html.status, (await s3ErrorOf(html)).Code]).toEqual([403, 'AccessDenied']);
    expect([elsewhere.status, (await s3ErrorOf(elsewhere)).Code]).toEqual([403, 'AccessDenied']);
  });

  it('is refused by S3 once the policy has expired', async () => {
    const signed = await sign(signEvent(), location, BUCKET);
    s3.clock.offsetMs = (UPLOAD_EXPIRY_SECONDS + 1) * 1000;

    const response = await post(signed, 'image').finally(() => { s3.clock.offsetMs = 0; });

    expect(await s3ErrorOf(response)).toEqual({ Code: 'AccessDenied', Message: 'Invalid according to Policy: Policy expired.' });
  });

  it.each([
    ['an owner that would leave its prefix', { owner: '../other' }],
    ['an attachment id that is not a ULID', { attachmentId: 'x/../../y' }],
    ['a type that cannot be attached', { contentType: 'text/html' }],
    ['a size over the limit', { contentType: 'text/plain', size: MAX_TEXT_BYTES + 1 }],
  ])('refuses to sign for %s', async (_case, overrides) => {
    await expect(sign(signEvent(overrides), location, BUCKET)).rejects.toBeInstanceOf(InvalidEventError);
  });
});

describe('verify', () => {
  async function uploaded(contentType = 'image/png', body = 'image'): Promise<{ id: string; fileName: string; contentType: string; size: number }> {
    const event = signEvent({ contentType, size: Buffer.byteLength(body) });
    const response = await post(await sign(event, location, BUCKET), body);
    if (response.status !== 204) throw new Error(`the upload failed: ${await response.text()}`);
    return { id: event.attachmentId, fileName: 'cat.png', contentType, size: Buffer.byteLength(body) };
  }

  it('finds nothing wrong with an upload as declared', async () => {
    const attachment = await uploaded();

    expect(await verify({ action: 'verify', owner: OWNER, conversationId: CONVERSATION, attachments: [attachment] }, location, BUCKET)).toEqual({ problems: [] });
  });

  it('answers NotFound for an object never uploaded', async () => {
    const id = attachmentId();

    const verdict = await verify({ action: 'verify', owner: OWNER, conversationId: CONVERSATION, attachments: [{ id, fileName: 'cat.png', contentType: 'image/png', size: 5 }] }, location, BUCKET);

    expect(verdict.problems).toEqual([{ id, errorType: 'NotFound', message: `Attachment '${id}' (cat.png) was never uploaded: POST the file with the url and fields createAttachmentUpload returned, then send it.` }]);
  });

  it('answers ValidationError for an object of another size than declared', async () => {
    const attachment = await uploaded();

    const verdict = await verify({ action: 'verify', owner: OWNER, conversationId: CONVERSATION, attachments: [{ ...attachment, size: 6 }] }, location, BUCKET);

    expect(verdict.problems).toEqual([{ id: attachment.id, errorType: 'ValidationError', message: 'cat.png was uploaded with 5 bytes, not the 6 createAttachmentUpload declared; upload it again with its real size.' }]);
  });

  it('answers ValidationError for an object written with another type', async () => {
    const id = attachmentId();
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `${KEY_PREFIX}${id}`, Body: 'hello', ContentType: 'text/html' }));

    const verdict = await verify({ action: 'verify', owner: OWNER, conversationId: CONVERSATION, attachments: [{ id, fileName: 'a.txt', contentType: 'text/plain', size: 5 }] }, location, BUCKET);

    expect(verdict.problems).toEqual([expect.objectContaining({ id, errorType: 'ValidationError' })]);
  });

  it('looks under the owner\'s prefix only: another owner\'s object of the same id is not there', async () => {
    const attachment = await uploaded();

    const verdict = await verify({ action: 'verify', owner: 'another-user', conversationId: CONVERSATION, attachments: [attachment] }, location, BUCKET);

    expect(verdict.problems.map((problem) => problem.errorType)).toEqual(['NotFound']);
  });
});

describe('the handler', () => {
  it('signs with the role\'s credentials and endpoint from the environment', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: PRINCIPAL.accessKeyId, AWS_SECRET_ACCESS_KEY: PRINCIPAL.secretAccessKey, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_S3: s3.endpoint, ATTACHMENT_BUCKET: BUCKET, POWERTOOLS_LOG_LEVEL: 'SILENT' });

    const signed = await handler(signEvent()) as { url: string; fields: Record<string, string> };

    expect((await post(signed, 'image')).status).toBe(204);
  });

  it('refuses an unknown action', async () => {
    await expect(handler({ action: 'delete' } as unknown as SignEvent)).rejects.toBeInstanceOf(InvalidEventError);
  });
});

describe('the chat function\'s reader', () => {
  it('reads an uploaded file\'s bytes, and nothing for one that is not there', async () => {
    const event = signEvent({ contentType: 'text/plain', size: 11 });
    await post(await sign(event, location, BUCKET), 'hello world');
    const reader = s3AttachmentReader(location, BUCKET, OWNER, CONVERSATION);

    const bytes = await reader.read({ id: event.attachmentId, fileName: 'a.txt', contentType: 'text/plain', size: 11 });
    const missing = await reader.read({ id: attachmentId(), fileName: 'b.txt', contentType: 'text/plain', size: 1 });

    expect(Buffer.from(bytes ?? []).toString()).toBe('hello world');
    expect(missing).toBeUndefined();
  });
});
