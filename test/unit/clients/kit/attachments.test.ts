// ChatApi.uploadAttachment against a fetch that answers as AppSync and S3 do: createAttachmentUpload, then the presigned
// POST as multipart/form-data (fields first, the file last), S3's XML refusals as the kit's error, and which fetch posts.
import { describe, expect, it } from '@jest/globals';
import { AttachmentUploadError, ChatApi, GraphqlError, graphqlClient, type GraphqlBody } from '../../../../clients/kit/index.ts';

const UPLOAD = {
  id: 'att-1',
  url: 'https://bucket.s3.example/',
  fields: JSON.stringify({ bucket: 'bucket', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', key: 'attachments/u/c/att-1', 'Content-Type': 'text/plain', Policy: 'cG9saWN5', 'X-Amz-Signature': 'sig' }),
  expiresAt: '2030-01-01T00:00:00.000Z',
  key: 'attachments/u/c/att-1',
};

interface Sent { url: string; graphql?: GraphqlBody; form?: FormData }

/** A fetch recording each request: GraphQL bodies parsed, forms kept; it answers with the next answer. */
function recordingFetch(answers: { status?: number; body: unknown }[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const call = (input: string, init: { body: string | FormData }): Promise<Response> => {
    sent.push(typeof init.body === 'string' ? { url: input, graphql: JSON.parse(init.body) as GraphqlBody } : { url: input, form: init.body });
    const answer = answers.shift() ?? { body: {} };
    const status = answer.status ?? 200;
    return Promise.resolve(new Response(status === 204 ? null : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), { status }));
  };
  return { fetch: call as unknown as typeof fetch, sent };
}

const created = { body: { data: { createAttachmentUpload: UPLOAD } } };
const stored = { status: 204, body: null };
const file = (): File => new File(['Penguins live in the south.'], 'penguins.txt', { type: 'text/plain' });

describe('uploadAttachment', () => {
  it('asks createAttachmentUpload for the file\'s name, type and size, and returns the attachment with its id', async () => {
    const { fetch, sent } = recordingFetch([created, stored]);
    const api = new ChatApi(graphqlClient({ url: 'https://api.example/graphql', token: () => 't', fetch }).request);

    const attachment = await api.uploadAttachment('c1', file());

    expect(sent[0]?.graphql?.variables).toEqual({ input: { conversationId: 'c1', fileName: 'penguins.txt', contentType: 'text/plain', size: 27 } });
    expect(attachment).toEqual({ id: 'att-1', fileName: 'penguins.txt', contentType: 'text/plain', size: 27 });
  });

  it('posts every field of the presigned POST in order, then the file last, named file, with its file name', async () => {
    const { fetch, sent } = recordingFetch([created, stored]);
    const api = new ChatApi(graphqlClient({ url: 'https://api.example/graphql', token: () => 't', fetch }).request);

    await api.uploadAttachment('c1', file());

    const form = sent[1]?.form;
    const entries = [...(form?.entries() ?? [])];
    expect(sent[1]?.url).toBe(UPLOAD.url);
    expect(entries.map(([name]) => name)).toEqual([...Object.keys(JSON.parse(UPLOAD.fields) as object), 'file']);
    expect(entries.slice(0, -1).map(([, value]) => value)).toEqual(Object.values(JSON.parse(UPLOAD.fields) as object));
    const posted = form?.get('file') as File;
    expect([posted.name, await posted.text()]).toEqual(['penguins.txt', 'Penguins live in the south.']);
  });

  it('declares the type it is given in place of the file\'s own', async () => {
    const { fetch, sent } = recordingFetch([created, stored]);
    const api = new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request);

    const attachment = await api.uploadAttachment('c1', new File(['# Notes'], 'notes.md', { type: 'text/markdown' }), 'text/plain');

    expect((sent[0]?.graphql?.variables as { input: { contentType: string } }).input.contentType).toBe('text/plain');
    expect(attachment.contentType).toBe('text/plain');
  });

  it('rejects with S3\'s error Code and Message when S3 refuses the upload', async () => {
    const refusal = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>EntityTooLarge</Code><Message>Your proposed upload exceeds the maximum allowed size &amp; was refused</Message><ProposedSize>99</ProposedSize><RequestId>1</RequestId></Error>';
    const { fetch } = recordingFetch([created, { status: 400, body: refusal }]);
    const api = new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request);

    const failure = await api.uploadAttachment('c1', file()).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AttachmentUploadError);
    expect(failure).toMatchObject({
      errorType: 'EntityTooLarge', status: 400, fileName: 'penguins.txt',
      message: 'S3 refused the upload of penguins.txt: EntityTooLarge: Your proposed upload exceeds the maximum allowed size & was refused (HTTP 400)',
    });
  });

  it('names the HTTP status when the refusal carries no error document', async () => {
    const { fetch } = recordingFetch([created, { status: 502, body: 'Bad Gateway' }]);
    const api = new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request);

    const failure = await api.uploadAttachment('c1', file()).catch((error: unknown) => error);

    expect(failure).toMatchObject({ name: 'AttachmentUploadError', errorType: 'HttpError', status: 502, message: 'S3 refused the upload of penguins.txt: HTTP 502' });
  });

  it('posts nothing when createAttachmentUpload is refused, and rejects with the API\'s error', async () => {
    const refused = { body: { data: null, errors: [{ errorType: 'ValidationError', message: 'page.html is text/html; ...' }] } };
    const { fetch, sent } = recordingFetch([refused]);
    const api = new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request);

    const failure = api.uploadAttachment('c1', new File(['<p>'], 'page.html', { type: 'text/html' }));

    await expect(failure).rejects.toEqual(new GraphqlError('ValidationError', 'page.html is text/html; ...'));
    expect(sent).toHaveLength(1);
  });
});

describe('the fetch an upload posts with', () => {
  it('is the fetch option of the graphqlClient whose request the ChatApi was built on', async () => {
    const { fetch, sent } = recordingFetch([created, stored]);

    await new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request).uploadAttachment('c1', file());

    expect(sent.map((s) => s.url)).toEqual(['u', UPLOAD.url]);
  });

  it('is the one given to ChatApi, over the client\'s', async () => {
    const client = recordingFetch([created]);
    const uploads = recordingFetch([stored]);

    await new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch: client.fetch }).request, { fetch: uploads.fetch }).uploadAttachment('c1', file());

    expect([client.sent.map((s) => s.url), uploads.sent.map((s) => s.url)]).toEqual([['u'], [UPLOAD.url]]);
  });

  it('is the one given to ChatApi when its request function is another\'s (Amplify\'s, Apollo\'s)', async () => {
    const uploads = recordingFetch([stored]);
    const request = (() => Promise.resolve({ createAttachmentUpload: UPLOAD })) as unknown as ConstructorParameters<typeof ChatApi>[0];

    const attachment = await new ChatApi(request, { fetch: uploads.fetch }).uploadAttachment('c1', file());

    expect(attachment.id).toBe('att-1');
    expect(uploads.sent.map((s) => s.url)).toEqual([UPLOAD.url]);
  });
});
