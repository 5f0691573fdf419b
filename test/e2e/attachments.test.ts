// Attachments end to end, as a front end uses them (docs/architecture.md, "Attachments"): createAttachmentUpload's
// presigned POST, posted with fetch and FormData as a page posts it (the field shape of @aws-sdk/s3-presigned-post),
// then sendMessage with attachmentIds. The bundled functions run in the sandbox: the attachments function signs and
// checks the uploads against the sandbox's S3, the chat function reads them and sends them to the Claude stand-in,
// which names each image and document it receives. Every refusal leaves the table as it was.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { MAX_IMAGE_BYTES } from '../../resolvers/attachment-limits.ts';
import { attachmentKey, conversationSk, messagesPk, userPk } from '../../resolvers/keys.ts';
import { RawClient } from '../integration/sandbox/ws-client.ts';
import { api, conversation, startProduct, user, type Product, type User } from './product.ts';

/** A 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const NOTE = 'Penguins live in the southern hemisphere. They cannot fly.';

const CREATE_UPLOAD = 'mutation U($input: CreateAttachmentUploadInput!) { createAttachmentUpload(input: $input) { id url fields expiresAt key } }';
const SEND = `mutation S($input: SendMessageInput!) { sendMessage(input: $input) {
  userMessage { id content blocks { index type text attachment { id fileName contentType size } } }
  reply { id } } }`;
const CITATION = 'type citedText documentIndex documentTitle start end';
const MESSAGE = `query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) {
  status content blocks { index type text citations { ${CITATION} } attachment { id fileName contentType size } } } }`;
const ON_REPLY = `subscription R($c: ID!) { onReplyEvent(conversationId: $c) { messageId seq type index text status citation { ${CITATION} } } }`;

interface Upload { id: string; url: string; fields: string; expiresAt: string; key: string }
interface Block { index: number; type: string; text?: string | null; citations?: Record<string, unknown>[] | null; attachment?: Record<string, unknown> | null }
interface ReplyEvent { messageId: string; type: string; index: number | null; citation: Record<string, unknown> | null }

let p: Product;
let ana: User;
let ben: User;
let db: DynamoDBDocumentClient;
let table = '';
const sockets: RawClient[] = [];

beforeAll(async () => {
  p = await startProduct();
  [ana, ben] = await Promise.all([user(p.sandbox, 'ana@example.com'), user(p.sandbox, 'ben@example.com')]);
  db = DynamoDBDocumentClient.from(p.sandbox.dynamodb.client);
  table = p.sandbox.template.tables[0]?.tableName ?? '';
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await p?.stop();
});

async function createUpload(who: User, conversationId: string, file: { fileName: string; contentType: string; size: number }): Promise<Upload> {
  const answer = await api(p.sandbox, who)(CREATE_UPLOAD, { input: { conversationId, ...file } });
  const upload = answer.body.data?.createAttachmentUpload as Upload | undefined;
  if (!upload) throw new Error(`createAttachmentUpload failed: ${JSON.stringify(answer.body.errors)}`);
  return upload;
}

/** The upload as a page posts it: every field of the presigned POST, then the file, with fetch and FormData. */
function post(upload: Upload, file: Uint8Array | string, change: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...(JSON.parse(upload.fields) as Record<string, string>), ...change })) form.append(name, value);
  form.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), 'upload');
  return fetch(upload.url, { method: 'POST', body: form, headers: { origin: 'http://localhost:5173' } });
}

/** createAttachmentUpload, then the POST; the attachment's id. */
async function attach(who: User, conversationId: string, fileName: string, contentType: string, file: Uint8Array | string): Promise<string> {
  const upload = await createUpload(who, conversationId, { fileName, contentType, size: Buffer.byteLength(file) });
  const response = await post(upload, file);
  if (response.status !== 204) throw new Error(`the upload was refused: ${response.status} ${await response.text()}`);
  return upload.id;
}

function sendWith(who: User, conversationId: string, content: string, extra: Record<string, unknown>, clientMessageId = randomUUID()) {
  return api(p.sandbox, who)(SEND, { input: { conversationId, content, clientMessageId, ...extra } });
}

async function subscribe(who: User, conversationId: string): Promise<RawClient> {
  const host = new URL(p.sandbox.urls.graphql).host;
  const socket = await RawClient.open(p.sandbox.urls.realtime, { Authorization: who.accessToken, host });
  sockets.push(socket);
  await socket.init();
  const ack = await socket.start('reply', ON_REPLY, { c: conversationId }, { Authorization: who.accessToken, host });
  if (ack.type !== 'start_ack') throw new Error(`subscription refused: ${JSON.stringify(ack)}`);
  return socket;
}

const eventsOf = (socket: RawClient): ReplyEvent[] => socket.data('reply').map((frame) => (frame.payload?.data as { onReplyEvent: ReplyEvent }).onReplyEvent);

/** Sends with attachments and waits for the reply's end; the stored reply. */
async function turn(who: User, conversationId: string, content: string, extra: Record<string, unknown>): Promise<{ userMessage: { id: string; blocks: Block[] }; reply: { status: string; content: string; blocks: Block[] }; events: ReplyEvent[] }> {
  const socket = await subscribe(who, conversationId);
  const answer = await sendWith(who, conversationId, content, extra);
  const sent = answer.body.data?.sendMessage as { userMessage: { id: string; blocks: Block[] }; reply: { id: string } } | undefined;
  if (!sent) throw new Error(`sendMessage failed: ${JSON.stringify(answer.body.errors)}`);
  await socket.waitFor(() => eventsOf(socket).some((event) => event.messageId === sent.reply.id && (event.type === 'DONE' || event.type === 'ERROR')), 'the reply to end', 30_000);
  const reply = (await api(p.sandbox, who)(MESSAGE, { c: conversationId, id: sent.reply.id })).body.data?.getMessage as { status: string; content: string; blocks: Block[] };
  socket.close();
  return { userMessage: sent.userMessage, reply, events: eventsOf(socket).filter((event) => event.messageId === sent.reply.id) };
}

/** Every item of the conversation (its own and its partition's): what a refused call must leave as it was. */
async function stored(who: User, conversationId: string): Promise<unknown[]> {
  const own = await db.send(new GetCommand({ TableName: table, Key: { pk: userPk(who.sub), sk: conversationSk(conversationId) }, ConsistentRead: true }));
  const partition = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': messagesPk(who.sub, conversationId) }, ConsistentRead: true }));
  return [own.Item, ...(partition.Items ?? [])];
}

const errorOf = (answer: { body: { errors?: Record<string, unknown>[] } }): { errorType: unknown; message: unknown } => ({ errorType: answer.body.errors?.[0]?.errorType, message: answer.body.errors?.[0]?.message });

describe('an image', () => {
  it('is uploaded with the presigned POST, sent by id, and named by the model with its type and size', async () => {
    const c = await conversation(p.sandbox, ana);
    const id = await attach(ana, c, 'dot.png', 'image/png', PNG);

    const { userMessage, reply } = await turn(ana, c, 'What is in this picture?', { attachmentIds: [id] });

    expect(reply.status).toBe('COMPLETE');
    expect(reply.content).toContain(`[image image/png ${PNG.length} bytes]`);
    expect(userMessage.blocks).toEqual([
      { index: 0, type: 'IMAGE', text: null, attachment: { id, fileName: 'dot.png', contentType: 'image/png', size: PNG.length } },
      { index: 1, type: 'TEXT', text: 'What is in this picture?', attachment: null },
    ]);
  });

  it('is sent again with the next turn of the conversation, so the model still sees it', async () => {
    const c = await conversation(p.sandbox, ana);
    const id = await attach(ana, c, 'dot.png', 'image/png', PNG);
    await turn(ana, c, 'Look at this.', { attachmentIds: [id] });

    const { reply } = await turn(ana, c, 'And what colour was it?', {});

    expect(reply.content).toContain(`[image image/png ${PNG.length} bytes]`);
  });

  it('is sent again when the reply is regenerated', async () => {
    const c = await conversation(p.sandbox, ana);
    const id = await attach(ana, c, 'dot.png', 'image/png', PNG);
    await turn(ana, c, 'Look at this.', { attachmentIds: [id] });
    const socket = await subscribe(ana, c);

    const answer = await api(p.sandbox, ana)('mutation R($c: ID!) { regenerateReply(conversationId: $c) { id } }', { c });

    const replyId = (answer.body.data?.regenerateReply as { id: string }).id;
    await socket.waitFor(() => eventsOf(socket).some((event) => event.messageId === replyId && event.type === 'DONE'), 'the regenerated reply to end', 30_000);
    const reply = (await api(p.sandbox, ana)(MESSAGE, { c, id: replyId })).body.data?.getMessage as { content: string };
    expect(reply.content).toContain(`[image image/png ${PNG.length} bytes]`);
  });

  it('comes with a presigned POST whose fields have @aws-sdk/s3-presigned-post\'s shape, for a key under the user\'s own prefix', async () => {
    const c = await conversation(p.sandbox, ana);

    const upload = await createUpload(ana, c, { fileName: 'dot.png', contentType: 'image/png', size: PNG.length });

    // A function signs with its role's temporary credentials, which carry a session token.
    const s3 = new S3Client({ endpoint: p.sandbox.urls.s3, region: p.sandbox.template.region, forcePathStyle: true, credentials: { ...p.sandbox.iam, sessionToken: 'a role session' } });
    const reference = await createPresignedPost(s3, { Bucket: p.sandbox.s3.buckets[0] ?? '', Key: upload.key, Fields: { 'Content-Type': 'image/png' } });
    expect(upload.url).toBe(reference.url);
    expect(Object.keys(JSON.parse(upload.fields) as object).sort()).toEqual(Object.keys(reference.fields).sort());
    expect(upload.key).toBe(attachmentKey(ana.sub, c, upload.id));
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeLessThanOrEqual(600_000);
  });
});

describe('prompt caching', () => {
  it('keeps within the API\'s 4 breakpoints with a system prompt, an earlier turn, a file and rounds of tools', async () => {
    const answer = await api(p.sandbox, ana)('mutation C { createConversation(input: {systemPrompt: "Be brief."}) { id } }');
    const c = (answer.body.data?.createConversation as { id: string }).id;
    await turn(ana, c, 'Hello.', {});
    const id = await attach(ana, c, 'dot.png', 'image/png', PNG);
    const directive = '[[standin:tool=current_time {"timeZone":"UTC"}]]';

    const { reply } = await turn(ana, c, `What time is it, twice? ${directive} ${directive}`, { attachmentIds: [id] });

    expect(reply.status).toBe('COMPLETE');
    expect(reply.blocks.filter((block) => block.type === 'TOOL_RESULT')).toHaveLength(2);
    expect(reply.content).toContain(`[image image/png ${PNG.length} bytes]`);
  });
});

describe('the stored user message', () => {
  it('carries IMAGE and DOCUMENT references and never the bytes', async () => {
    const c = await conversation(p.sandbox, ana);
    const image = await attach(ana, c, 'dot.png', 'image/png', PNG);
    const note = await attach(ana, c, 'note.txt', 'text/plain', NOTE);

    const { userMessage } = await turn(ana, c, 'Compare these.', { attachmentIds: [image, note] });

    const read = (await api(p.sandbox, ana)(MESSAGE, { c, id: userMessage.id })).body.data?.getMessage as { blocks: Block[] };
    expect(read.blocks.map((block) => [block.type, block.attachment?.fileName ?? block.text])).toEqual([['IMAGE', 'dot.png'], ['DOCUMENT', 'note.txt'], ['TEXT', 'Compare these.']]);
    const items = JSON.stringify(await stored(ana, c));
    expect(items).not.toContain(PNG.toString('base64'));
    expect(items).not.toContain(NOTE);
  });
});

describe('a document with citations', () => {
  it('gives CITATION events and stored citations of the document, titled with its file name', async () => {
    const c = await conversation(p.sandbox, ana);
    const id = await attach(ana, c, 'penguins.txt', 'text/plain', NOTE);

    const { reply, events } = await turn(ana, c, 'Where do penguins live?', { attachmentIds: [id], citations: true });

    const cited = { type: 'char_location', citedText: 'Penguins live in the southern hemisphere.', documentIndex: 0, documentTitle: 'penguins.txt', start: 0, end: 41 };
    expect(events.filter((event) => event.type === 'CITATION').map((event) => event.citation)).toEqual([cited]);
    expect(reply.blocks.flatMap((block) => block.citations ?? [])).toEqual([cited]);
    expect(reply.content).toContain(`[document text/plain ${NOTE.length} bytes]`);
  });
});

describe('refusals', () => {
  it('refuses a type Claude cannot read at createAttachmentUpload, and writes nothing', async () => {
    const c = await conversation(p.sandbox, ana);
    const before = await stored(ana, c);

    const answer = await api(p.sandbox, ana)(CREATE_UPLOAD, { input: { conversationId: c, fileName: 'page.html', contentType: 'text/html', size: 10 } });

    expect(errorOf(answer).errorType).toBe('ValidationError');
    expect(await stored(ana, c)).toEqual(before);
  });

  it('refuses an image over the per-image limit at createAttachmentUpload', async () => {
    const c = await conversation(p.sandbox, ana);

    const answer = await api(p.sandbox, ana)(CREATE_UPLOAD, { input: { conversationId: c, fileName: 'huge.png', contentType: 'image/png', size: MAX_IMAGE_BYTES + 1 } });

    expect(errorOf(answer)).toEqual({ errorType: 'ValidationError', message: `huge.png is ${MAX_IMAGE_BYTES + 1} bytes; the limit for image/png is ${MAX_IMAGE_BYTES} bytes.` });
  });

  it('has S3 refuse an upload bigger than declared (EntityTooLarge), or of another type (AccessDenied)', async () => {
    const c = await conversation(p.sandbox, ana);
    const upload = await createUpload(ana, c, { fileName: 'dot.png', contentType: 'image/png', size: PNG.length });

    const bigger = await post(upload, Buffer.concat([PNG, Buffer.from('more')]));
    const html = await post(upload, PNG, { 'Content-Type': 'text/html' });

    expect([bigger.status, /<Code>([^<]+)</.exec(await bigger.text())?.[1]]).toEqual([400, 'EntityTooLarge']);
    expect([html.status, /<Code>([^<]+)</.exec(await html.text())?.[1]]).toEqual([403, 'AccessDenied']);
  });

  it('refuses to send an attachment whose object is not the declared size (ValidationError), and writes nothing', async () => {
    const c = await conversation(p.sandbox, ana);
    const upload = await createUpload(ana, c, { fileName: 'dot.png', contentType: 'image/png', size: PNG.length });
    // Written past the policy, as only the stack's own roles could.
    const s3 = new S3Client({ endpoint: p.sandbox.urls.s3, region: p.sandbox.template.region, forcePathStyle: true, credentials: p.sandbox.iam });
    await s3.send(new PutObjectCommand({ Bucket: p.sandbox.s3.buckets[0], Key: upload.key, Body: Buffer.concat([PNG, PNG]), ContentType: 'image/png' }));
    const before = await stored(ana, c);

    const answer = await sendWith(ana, c, 'Look.', { attachmentIds: [upload.id] });

    expect(errorOf(answer)).toEqual({ errorType: 'ValidationError', message: `dot.png was uploaded with ${2 * PNG.length} bytes, not the ${PNG.length} createAttachmentUpload declared; upload it again with its real size.` });
    expect(await stored(ana, c)).toEqual(before);
  });

  it('refuses to send an attachment never uploaded (NotFound), and writes nothing', async () => {
    const c = await conversation(p.sandbox, ana);
    const upload = await createUpload(ana, c, { fileName: 'dot.png', contentType: 'image/png', size: PNG.length });
    const before = await stored(ana, c);

    const answer = await sendWith(ana, c, 'Look.', { attachmentIds: [upload.id] });

    expect(errorOf(answer).errorType).toBe('NotFound');
    expect(await stored(ana, c)).toEqual(before);
  });

  it('refuses more than five attachments (ValidationError), and writes nothing', async () => {
    const c = await conversation(p.sandbox, ana);
    const ids = await Promise.all(Array.from({ length: 6 }, (_, k) => attach(ana, c, `dot${k}.png`, 'image/png', PNG)));
    const before = await stored(ana, c);

    const answer = await sendWith(ana, c, 'Look at all of them.', { attachmentIds: ids });

    expect(errorOf(answer)).toEqual({ errorType: 'ValidationError', message: 'attachmentIds has 6 attachments; a message carries at most 5.' });
    expect(await stored(ana, c)).toEqual(before);
  });

  it('refuses to send an attachment a second time (ValidationError), and writes nothing', async () => {
    const c = await conversation(p.sandbox, ana);
    const id = await attach(ana, c, 'dot.png', 'image/png', PNG);
    await turn(ana, c, 'Look.', { attachmentIds: [id] });
    const before = await stored(ana, c);

    const answer = await sendWith(ana, c, 'Look again.', { attachmentIds: [id] });

    expect(errorOf(answer).errorType).toBe('ValidationError');
    expect(await stored(ana, c)).toEqual(before);
  });

  it('answers the same clientMessageId with the same attachments with the turn it made', async () => {
    const c = await conversation(p.sandbox, ana);
    const id = await attach(ana, c, 'dot.png', 'image/png', PNG);
    const clientMessageId = randomUUID();
    const first = await sendWith(ana, c, 'Look.', { attachmentIds: [id] }, clientMessageId);

    const again = await sendWith(ana, c, 'Look.', { attachmentIds: [id] }, clientMessageId);

    expect((again.body.data?.sendMessage as { reply: { id: string } }).reply.id).toBe((first.body.data?.sendMessage as { reply: { id: string } }).reply.id);
  });
});

describe('another user\'s attachments', () => {
  it('cannot be sent: the id finds nothing under the sender\'s conversation (NotFound), and nothing is written', async () => {
    const anas = await conversation(p.sandbox, ana);
    const id = await attach(ana, anas, 'dot.png', 'image/png', PNG);
    const bens = await conversation(p.sandbox, ben);
    const before = await stored(ben, bens);

    const answer = await sendWith(ben, bens, 'Whose is this?', { attachmentIds: [id] });

    expect(errorOf(answer).errorType).toBe('NotFound');
    expect(await stored(ben, bens)).toEqual(before);
  });

  it('cannot be sent into the owner\'s conversation by someone else (NotFound)', async () => {
    const anas = await conversation(p.sandbox, ana);
    const id = await attach(ana, anas, 'dot.png', 'image/png', PNG);

    const answer = await sendWith(ben, anas, 'Mine now.', { attachmentIds: [id] });

    expect(errorOf(answer).errorType).toBe('NotFound');
  });

  it('cannot be created in someone else\'s conversation (NotFound)', async () => {
    const anas = await conversation(p.sandbox, ana);

    const answer = await api(p.sandbox, ben)(CREATE_UPLOAD, { input: { conversationId: anas, fileName: 'x.png', contentType: 'image/png', size: 10 } });

    expect(errorOf(answer).errorType).toBe('NotFound');
  });

  it('cannot be overwritten with one\'s own presigned POST aimed at the other user\'s key (AccessDenied)', async () => {
    const anas = await conversation(p.sandbox, ana);
    const anasUpload = await createUpload(ana, anas, { fileName: 'dot.png', contentType: 'image/png', size: PNG.length });
    const bens = await conversation(p.sandbox, ben);
    const bensUpload = await createUpload(ben, bens, { fileName: 'dot.png', contentType: 'image/png', size: PNG.length });

    const response = await post(bensUpload, PNG, { key: anasUpload.key });

    expect(response.status).toBe(403);
    expect(/<Code>([^<]+)</.exec(await response.text())?.[1]).toBe('AccessDenied');
  });

  it('cannot be read from the bucket without a signature: it is private', async () => {
    const anas = await conversation(p.sandbox, ana);
    const upload = await createUpload(ana, anas, { fileName: 'dot.png', contentType: 'image/png', size: PNG.length });
    await post(upload, PNG);

    const response = await fetch(`${upload.url}/${upload.key}`);

    expect(response.status).toBe(403);
  });
});
