// Ownership by construction, validation and quota: another user's ids lead nowhere, bad input gets a
// clear errorType and writes nothing, IAM-only stays IAM-only.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { api, conversation, ended, GET_MESSAGE, iamGraphql, ON_REPLY, send, startProduct, subscribe, user, type Product, type User } from './product.ts';
import { RawClient } from '../integration/sandbox/ws-client.ts';

let p: Product;
let ana: User;
let bo: User;
let anaConversation = '';
let anaTurn: { userMessage: { id: string }; reply: { id: string } };
let anaSession = '';

beforeAll(async () => {
  p = await startProduct();
  ana = await user(p.sandbox, 'ana@example.com');
  bo = await user(p.sandbox, 'bo@example.com');
  anaConversation = await conversation(p.sandbox, ana, 'private');
  const socket = await subscribe(p.sandbox, ana, anaConversation);
  anaTurn = await send(p.sandbox, ana, anaConversation, 'my secret question');
  await ended(socket, anaTurn.reply.id);
  socket.close();
  const session = await api(p.sandbox, ana)('mutation { startDeviceSession(input: {deviceName: "phone"}) { id } }');
  anaSession = (session.body.data?.startDeviceSession as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe('another user\'s ids', () => {
  const cases: [string, string, () => Record<string, unknown>, string | null][] = [
    ['getConversation', 'query Q($id: ID!) { getConversation(id: $id) { id } }', () => ({ id: anaConversation }), null],
    ['getMessage', 'query Q($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) { id } }', () => ({ c: anaConversation, id: anaTurn.reply.id }), null],
    ['listMessages', 'query Q($c: ID!) { listMessages(conversationId: $c) { items { id } } }', () => ({ c: anaConversation }), 'NotFound'],
    ['sendMessage', 'mutation Q($c: ID!, $m: ID!) { sendMessage(input: {conversationId: $c, content: "hi", clientMessageId: $m}) { reply { id } } }', () => ({ c: anaConversation, m: randomUUID() }), 'NotFound'],
    ['renameConversation', 'mutation Q($id: ID!) { renameConversation(id: $id, title: "mine now") { id } }', () => ({ id: anaConversation }), 'NotFound'],
    ['deleteConversation', 'mutation Q($id: ID!) { deleteConversation(id: $id) { id } }', () => ({ id: anaConversation }), 'NotFound'],
    ['stopReply', 'mutation Q($c: ID!) { stopReply(conversationId: $c) { id } }', () => ({ c: anaConversation }), 'NotFound'],
    ['regenerateReply', 'mutation Q($c: ID!) { regenerateReply(conversationId: $c) { id } }', () => ({ c: anaConversation }), 'NotFound'],
    ['endDeviceSession', 'mutation Q($id: ID!) { endDeviceSession(id: $id) { id } }', () => ({ id: anaSession }), 'NotFound'],
  ];

  it.each(cases)('%s gives the second user null or an error, never the first user\'s data', async (_name, query, variables, errorType) => {
    const answer = await api(p.sandbox, bo)(query, variables());

    const [value] = Object.values(answer.body.data ?? {});
    expect(value ?? null).toBeNull();
    if (errorType) expect(answer.body.errors?.[0]?.errorType).toBe(errorType);
  });

  it('leaves the first user\'s conversation, messages and sessions as they were', async () => {
    const read = await api(p.sandbox, ana)('query Q($id: ID!) { getConversation(id: $id) { title messageCount } listDeviceSessions { id } }', { id: anaConversation });
    const message = await api(p.sandbox, ana)(GET_MESSAGE, { c: anaConversation, id: anaTurn.reply.id });

    expect(read.body.data).toEqual({ getConversation: { title: 'private', messageCount: 2 }, listDeviceSessions: [{ id: anaSession }] });
    expect((message.body.data?.getMessage as { status: string }).status).toBe('COMPLETE');
  });

  it('refuses to subscribe the second user to the first user\'s conversation', async () => {
    const host = new URL(p.sandbox.urls.graphql).host;
    const client = await RawClient.open(p.sandbox.urls.realtime, { Authorization: bo.accessToken, host });
    await client.init();

    const answer = await client.start('x', ON_REPLY, { c: anaConversation }, { Authorization: bo.accessToken, host });
    client.close();

    expect(answer.payload?.errors).toEqual([{ errorType: 'Unauthorized', message: 'Unauthorized' }]);
  });

  it('lists only the caller\'s own conversations', async () => {
    const list = await api(p.sandbox, bo)('{ listConversations { items { id } } }');

    expect(list.body.data).toEqual({ listConversations: { items: [] } });
  });
});

describe('publishReplyEvent', () => {
  const PUBLISH = 'mutation P($c: ID!, $m: ID!, $o: ID!) { publishReplyEvent(input: {conversationId: $c, messageId: $m, owner: $o, seq: 99, type: DELTA, text: "forged"}) { seq } }';

  it('is refused to a user pool token', async () => {
    const answer = await api(p.sandbox, bo)(PUBLISH, { c: anaConversation, m: anaTurn.reply.id, o: ana.sub });

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access publishReplyEvent on type Mutation' });
  });

  it('is served to IAM (the chat function\'s credentials)', async () => {
    const answer = await iamGraphql(p.sandbox, PUBLISH, { c: anaConversation, m: anaTurn.reply.id, o: ana.sub });

    expect(answer.body).toEqual({ data: { publishReplyEvent: { seq: 99 } } });
  });
});

const SEND = 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { reply { id } } }';

describe('input validation', () => {
  it.each([
    ['empty content', () => ({ conversationId: anaConversation, content: '   ', clientMessageId: randomUUID() }), /content must not be empty/],
    ['over-long content', () => ({ conversationId: anaConversation, content: 'x'.repeat(32001), clientMessageId: randomUUID() }), /content is 32001 characters; the limit is 32000/],
    ['a malformed conversation id', () => ({ conversationId: 'not-an-id', content: 'hi', clientMessageId: randomUUID() }), /conversationId 'not-an-id' is not a valid id/],
    ['a malformed clientMessageId', () => ({ conversationId: anaConversation, content: 'hi', clientMessageId: 'no spaces!' }), /clientMessageId 'no spaces!' must be 8 to 64/],
  ])('refuses %s with a ValidationError and writes nothing', async (_name, input, message) => {
    const before = await api(p.sandbox, ana)('query Q($id: ID!) { getConversation(id: $id) { messageCount } }', { id: anaConversation });

    const answer = await api(p.sandbox, ana)(SEND, { input: input() });
    const after = await api(p.sandbox, ana)('query Q($id: ID!) { getConversation(id: $id) { messageCount } }', { id: anaConversation });

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', message: expect.stringMatching(message) as unknown });
    expect(after.body.data).toEqual(before.body.data);
  });

  it('answers an unknown conversation with NotFound', async () => {
    const answer = await api(p.sandbox, ana)(SEND, { input: { conversationId: '01JAAAAAAAAAAAAAAAAAAAAAAA', content: 'hi', clientMessageId: randomUUID() } });

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'NotFound', message: 'The conversation was not found.' });
  });
});

describe('the daily token quota', () => {
  it('refuses a turn with QuotaExceeded once the day\'s tokens are spent, and writes nothing', async () => {
    const spender = await user(p.sandbox, 'spender@example.com');
    const c = await conversation(p.sandbox, spender);
    const today = new Date().toISOString().slice(0, 10);
    const table = p.sandbox.template.tables[0]?.tableName ?? '';
    await DynamoDBDocumentClient.from(p.sandbox.dynamodb.client).send(new PutCommand({ TableName: table, Item: { pk: `USER#${spender.sub}`, sk: `USAGE#${today}`, inputTokens: 150000, outputTokens: 60000 } }));

    const answer = await api(p.sandbox, spender)(SEND, { input: { conversationId: c, content: 'one more?', clientMessageId: randomUUID() } });
    const usage = await api(p.sandbox, spender)('{ usage { quota remaining inputTokens outputTokens } }');
    const count = await api(p.sandbox, spender)('query Q($id: ID!) { getConversation(id: $id) { messageCount } }', { id: c });

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'QuotaExceeded' });
    expect(usage.body.data).toEqual({ usage: { quota: 200000, remaining: 0, inputTokens: 150000, outputTokens: 60000 } });
    expect(count.body.data).toEqual({ getConversation: { messageCount: 0 } });
  });
});
