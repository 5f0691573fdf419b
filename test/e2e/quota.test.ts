// The daily token quota as a front end meets it: every turn (sendMessage and regenerateReply) is admitted
// against it, concurrent turns cannot overshoot it by more than one reply's max output, and a turn that
// spends less than it held (an ERROR reply, a reply never started) gives the rest back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { api, conversation, ended, send, startProduct, subscribe, user, type Product, type User } from './product.ts';
import type { RawClient } from '../integration/sandbox/ws-client.ts';

/** infra/config.ts's defaults: the daily quota and a reply's max_tokens. */
const QUOTA = 200_000;
const MAX_OUTPUT_TOKENS = 4096;

const SEND = 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { userMessage { id } reply { id status } } }';
const REGENERATE = 'mutation R($c: ID!) { regenerateReply(conversationId: $c) { id status } }';
const MESSAGES = 'query L($c: ID!) { listMessages(conversationId: $c) { items { id role status } } }';
const USAGE = '{ usage { quota inputTokens outputTokens } }';

let p: Product;
let db: DynamoDBDocumentClient;
let table = '';
const sockets: RawClient[] = [];
/** Signed in once (SRP is slow on a busy machine); each test starts the day over with spend(). */
let who: User;

beforeAll(async () => {
  p = await startProduct();
  db = DynamoDBDocumentClient.from(p.sandbox.dynamodb.client);
  table = p.sandbox.template.tables[0]?.tableName ?? '';
  who = await user(p.sandbox, 'spender@example.com');
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await p?.stop();
});

const today = (): string => new Date().toISOString().slice(0, 10);

/** Today's usage item, as if the user had spent `spent` tokens today and had no turn running. */
async function spend(spent: number): Promise<void> {
  const inputTokens = Math.floor(spent / 2);
  await db.send(new PutCommand({ TableName: table, Item: { pk: `USER#${who.sub}`, sk: `USAGE#${today()}`, inputTokens, outputTokens: spent - inputTokens } }));
}

async function watch(conversationId: string): Promise<RawClient> {
  const client = await subscribe(p.sandbox, who, conversationId);
  sockets.push(client);
  return client;
}

async function spentToday(): Promise<{ quota: number; spent: number }> {
  const answer = await api(p.sandbox, who)(USAGE);
  const usage = answer.body.data?.usage as { quota: number; inputTokens: number; outputTokens: number };
  return { quota: usage.quota, spent: usage.inputTokens + usage.outputTokens };
}

describe('regenerateReply', () => {
  it('is refused with QuotaExceeded once the day\'s tokens are spent, and leaves the reply as it was', async () => {
    // Arrange
    const c = await conversation(p.sandbox, who);
    const socket = await watch(c);
    const turn = await send(p.sandbox, who, c, 'Name a colour');
    await ended(socket, turn.reply.id);
    await spend(QUOTA);

    // Act
    const answer = await api(p.sandbox, who)(REGENERATE, { c });

    // Assert
    const history = await api(p.sandbox, who)(MESSAGES, { c });
    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'QuotaExceeded', message: `You have used your ${QUOTA} tokens for today; the quota resets at midnight UTC.` });
    expect(history.body.data?.listMessages).toEqual({ items: [{ id: turn.reply.id, role: 'ASSISTANT', status: 'COMPLETE' }, { id: turn.userMessage.id, role: 'USER', status: 'COMPLETE' }] });
  });
});

describe('concurrent turns near the quota', () => {
  it('end at most one reply\'s max output over the quota; the sends refused say why with QuotaExceeded', async () => {
    // Arrange: 10,000 tokens left, and ten replies of 3,000 tokens each asked for at once, one per conversation.
    const ids = await Promise.all(Array.from({ length: 10 }, () => conversation(p.sandbox, who)));
    const watchers = await Promise.all(ids.map((c) => watch(c)));
    await spend(QUOTA - 10_000);

    // Act
    const answers = await Promise.all(ids.map((conversationId) =>
      api(p.sandbox, who)(SEND, { input: { conversationId, content: 'Write at length [[standin:tokens=3000]]', clientMessageId: randomUUID() } })));
    const admitted = answers.flatMap((answer, index) => {
      const turn = answer.body.data?.sendMessage as { reply: { id: string } } | null | undefined;
      return turn ? [{ socket: watchers[index] as RawClient, replyId: turn.reply.id }] : [];
    });
    await Promise.all(admitted.map(({ socket, replyId }) => ended(socket, replyId, 'reply', 60_000)));

    // Assert
    const refusals = answers.filter((answer) => answer.body.errors).map((answer) => answer.body.errors?.[0]);
    const { quota, spent } = await spentToday();
    expect(admitted.length).toBeGreaterThan(0);
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals).toEqual(refusals.map(() => expect.objectContaining({ errorType: 'QuotaExceeded', message: expect.stringMatching(/tokens/) as unknown })));
    expect(quota).toBe(QUOTA);
    expect(spent).toBeLessThanOrEqual(QUOTA + MAX_OUTPUT_TOKENS);
  });

  it('hold nothing once every reply has ended: what was reserved is replaced by what was spent', async () => {
    // Arrange
    const ids = await Promise.all(Array.from({ length: 3 }, () => conversation(p.sandbox, who)));
    const watchers = await Promise.all(ids.map((c) => watch(c)));
    await spend(0);

    // Act
    const turns = await Promise.all(ids.map((c) => send(p.sandbox, who, c, 'A short answer, please')));
    await Promise.all(turns.map((turn, index) => ended(watchers[index] as RawClient, turn.reply.id)));

    // Assert
    const { spent } = await spentToday();
    const item = (await db.send(new GetCommand({ TableName: table, Key: { pk: `USER#${who.sub}`, sk: `USAGE#${today()}` }, ConsistentRead: true }))).Item;
    expect(spent).toBeGreaterThan(0);
    expect(item?.['committedTokens']).toBe(spent);
  });
});

/**
 * With this much spent, one turn's reservation (its input estimate and MAX_OUTPUT_TOKENS) fits, but a turn of
 * LONG_MESSAGE does not fit beside a reservation still held: it is admitted only if the first gave its back.
 */
const ONE_TURN_LEFT = QUOTA - MAX_OUTPUT_TOKENS - 50;
const LONG_MESSAGE = `Here is a longer question: ${'why is the sky blue? '.repeat(20)}`;

describe('a turn that spends less than it reserved', () => {
  it('gives its reservation back when its reply ends ERROR, so the next turn fits', async () => {
    // Arrange
    const first = await conversation(p.sandbox, who);
    const second = await conversation(p.sandbox, who);
    const socket = await watch(first);
    const next = await watch(second);
    await spend(ONE_TURN_LEFT);
    p.sandbox.claude?.faults.enqueue('overloaded', 10);
    const failed = await send(p.sandbox, who, first, 'Anyone there?');
    const end = await ended(socket, failed.reply.id);
    p.sandbox.claude?.faults.clear();

    // Act
    const answer = await api(p.sandbox, who)(SEND, { input: { conversationId: second, content: LONG_MESSAGE, clientMessageId: randomUUID() } });

    // Assert
    const turn = answer.body.data?.sendMessage as { reply: { id: string; status: string } } | undefined;
    expect(end).toMatchObject({ type: 'ERROR', status: 'ERROR' });
    expect(answer.body.errors).toBeUndefined();
    expect(turn?.reply.status).toBe('PENDING');
    expect(await ended(next, turn?.reply.id ?? '')).toMatchObject({ type: 'DONE', status: 'COMPLETE' });
  });

  it('gives its reservation back when its reply was never claimed and the next turn takes the conversation over', async () => {
    // Arrange: the chat function fails before it claims the reply (no table configured); its 60 s lease then runs out.
    const c = await conversation(p.sandbox, who);
    const socket = await watch(c);
    await spend(ONE_TURN_LEFT);
    const chat = p.sandbox.template.functions.find((f) => f.logicalId.startsWith('FunctionsChat'));
    if (!chat) throw new Error('the product has no chat function');
    p.sandbox.lambda.update({ ...chat, environment: { ...chat.environment, TABLE_NAME: '' } });
    const orphan = await send(p.sandbox, who, c, 'Is anybody listening?');
    await p.sandbox.lambda.awaitIdle();
    p.sandbox.lambda.update(chat);
    await db.send(new UpdateCommand({
      TableName: table, Key: { pk: `USER#${who.sub}#CONV#${c}`, sk: `MSG#${orphan.reply.id}` },
      UpdateExpression: 'SET leaseUntil = :past', ExpressionAttributeValues: { ':past': Date.now() - 1 },
    }));

    // Act
    const turn = await send(p.sandbox, who, c, LONG_MESSAGE);
    const end = await ended(socket, turn.reply.id);

    // Assert
    const history = await api(p.sandbox, who)(MESSAGES, { c });
    const statuses = (history.body.data?.listMessages as { items: { id: string; status: string }[] }).items.map((m) => [m.id, m.status]);
    expect(end).toMatchObject({ type: 'DONE', status: 'COMPLETE' });
    expect(statuses).toEqual([[turn.reply.id, 'COMPLETE'], [turn.userMessage.id, 'COMPLETE'], [orphan.reply.id, 'INTERRUPTED'], [orphan.userMessage.id, 'COMPLETE']]);
  });
});
