// Sending a message again with the same clientMessageId, as a front end does after a dropped connection: the
// answer is the turn the first send made, as it is now; the same id with other content is refused.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, conversation, ended, GET_MESSAGE, startProduct, subscribe, user, type Product, type User } from './product.ts';
import type { RawClient } from '../integration/sandbox/ws-client.ts';

const SEND = `mutation S($input: SendMessageInput!) { sendMessage(input: $input) {
  userMessage { id content } reply { id status content seq error } } }`;
const CONVERSATION = 'query G($id: ID!) { getConversation(id: $id) { messageCount activeReplyId } listMessages(conversationId: $id) { items { id role content status } } }';

interface SentTurn { userMessage: { id: string; content: string }; reply: { id: string; status: string; content: string; seq: number; error: string | null } }

let p: Product;
let ana: User;
const sockets: RawClient[] = [];

beforeAll(async () => {
  p = await startProduct();
  ana = await user(p.sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await p?.stop();
});

async function watch(conversationId: string): Promise<RawClient> {
  const client = await subscribe(p.sandbox, ana, conversationId);
  sockets.push(client);
  return client;
}

const sendMessage = (conversationId: string, content: string, clientMessageId: string) =>
  api(p.sandbox, ana)(SEND, { input: { conversationId, content, clientMessageId } });

describe('a message sent again with the same clientMessageId', () => {
  it('is answered with its reply as it is now: complete, with its text, once the reply has ended', async () => {
    // Arrange
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const clientMessageId = randomUUID();
    const first = (await sendMessage(c, 'Tell me something about tea', clientMessageId)).body.data?.sendMessage as SentTurn;
    await ended(socket, first.reply.id);

    // Act
    const again = await sendMessage(c, 'Tell me something about tea', clientMessageId);

    // Assert
    const stored = (await api(p.sandbox, ana)(GET_MESSAGE, { c, id: first.reply.id })).body.data?.getMessage as { content: string; seq: number };
    expect(first.reply).toMatchObject({ status: 'PENDING', content: '' });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.sendMessage).toEqual({
      userMessage: first.userMessage,
      reply: { id: first.reply.id, status: 'COMPLETE', content: stored.content, seq: stored.seq, error: null },
    });
    expect(stored.content.length).toBeGreaterThan(0);
  });

  it('is refused with Conflict when its content differs, and the conversation is left as it was', async () => {
    // Arrange
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const clientMessageId = randomUUID();
    const first = (await sendMessage(c, 'What is the capital of Peru?', clientMessageId)).body.data?.sendMessage as SentTurn;
    await ended(socket, first.reply.id);
    const before = await api(p.sandbox, ana)(CONVERSATION, { id: c });

    // Act
    const other = await sendMessage(c, 'And of Chile?', clientMessageId);

    // Assert
    const after = await api(p.sandbox, ana)(CONVERSATION, { id: c });
    expect(other.body.data?.sendMessage ?? null).toBeNull();
    expect(other.body.errors?.[0]).toMatchObject({
      errorType: 'Conflict',
      message: `clientMessageId '${clientMessageId}' was already used for a different message in this conversation; send a new message with a new clientMessageId.`,
    });
    expect(after.body.data).toEqual(before.body.data);
  });
});
