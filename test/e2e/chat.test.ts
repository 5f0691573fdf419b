// A chat turn end to end through the sandbox: sendMessage, the chat function streaming from the
// Claude stand-in, reply events on the subscription, and the stored message they must agree with.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, conversation, ended, events, GET_MESSAGE, send, startProduct, STOP_REPLY, subscribe, user, type Product, type ReplyEvent, type User } from './product.ts';
import type { RawClient } from '../integration/sandbox/ws-client.ts';

let p: Product;
let ana: User;
const sockets: RawClient[] = [];

beforeAll(async () => {
  p = await startProduct({ claude: { tokensPerSecond: 400 } });
  ana = await user(p.sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await p?.stop();
});

async function watch(conversationId: string, id = 'reply', who: User = ana): Promise<RawClient> {
  const client = await subscribe(p.sandbox, who, conversationId, id);
  sockets.push(client);
  return client;
}

function text(list: ReplyEvent[], replyId: string): string {
  return list.filter((e) => e.messageId === replyId && e.type === 'DELTA').map((e) => e.text ?? '').join('');
}

async function stored(conversationId: string, id: string): Promise<{ content: string; status: string; seq: number; error: string | null; stopReason: string | null }> {
  const answer = await api(p.sandbox, ana)(GET_MESSAGE, { c: conversationId, id });
  return answer.body.data?.getMessage as { content: string; status: string; seq: number; error: string | null; stopReason: string | null };
}

describe('a chat turn', () => {
  it('streams DELTAs in seq order then DONE, and stores exactly the streamed text', async () => {
    // Arrange
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);

    // Act
    const turn = await send(p.sandbox, ana, c, 'Tell me about the sea.');
    const done = await ended(socket, turn.reply.id);

    // Assert
    const list = events(socket).filter((e) => e.messageId === turn.reply.id);
    expect(turn.reply.status).toBe('PENDING');
    expect(list.map((e) => e.seq)).toEqual(list.map((_, i) => i + 1));
    expect(done).toMatchObject({ type: 'DONE', status: 'COMPLETE', owner: ana.sub });
    expect(list.slice(0, -1).every((e) => e.type === 'DELTA' || e.type === 'TITLE')).toBe(true);
    const message = await stored(c, turn.reply.id);
    expect(message).toMatchObject({ status: 'COMPLETE', content: text(list, turn.reply.id), seq: done.seq });
    expect(message.content.length).toBeGreaterThan(0);
  });

  it('names the conversation on its first turn with a TITLE event', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);

    const turn = await send(p.sandbox, ana, c, 'Plan a trip to Lisbon in spring');
    await ended(socket, turn.reply.id);
    const title = events(socket).find((e) => e.type === 'TITLE');
    const read = await api(p.sandbox, ana)('query G($id: ID!) { getConversation(id: $id) { title messageCount activeReplyId } }', { id: c });

    expect(title?.title).toBeTruthy();
    expect(read.body.data?.getConversation).toEqual({ title: title?.title, messageCount: 2, activeReplyId: null });
  });

  it('makes one turn of the same clientMessageId sent twice', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const clientMessageId = randomUUID();

    const first = await send(p.sandbox, ana, c, 'Once only, please', clientMessageId);
    const second = await send(p.sandbox, ana, c, 'Once only, please', clientMessageId);
    await ended(socket, first.reply.id);
    const history = await api(p.sandbox, ana)('query L($c: ID!) { listMessages(conversationId: $c) { items { id role } } }', { c });

    expect(second.userMessage.id).toBe(first.userMessage.id);
    expect(second.reply.id).toBe(first.reply.id);
    expect((history.body.data?.listMessages as { items: unknown[] }).items).toHaveLength(2);
  });

  it('streams once when the chat function is invoked twice for one turn', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const chat = p.sandbox.template.functions.find((f) => f.logicalId.startsWith('FunctionsChat'))?.name ?? '';

    const turn = await send(p.sandbox, ana, c, 'Say hello');
    await p.sandbox.lambda.invoke(chat, { owner: ana.sub, conversationId: c, replyId: turn.reply.id, userMessageId: turn.userMessage.id }, 'Event');
    await ended(socket, turn.reply.id);
    await p.sandbox.lambda.awaitIdle();

    const list = events(socket).filter((e) => e.messageId === turn.reply.id);
    expect(list.filter((e) => e.type === 'DONE')).toHaveLength(1);
    expect(new Set(list.map((e) => e.seq)).size).toBe(list.length);
  });

  it('refuses a second message while a reply is being written (Conflict)', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    // The model's first token waits until the stop below ends the reply: it is still being written when the second
    // message is sent, however long that takes.
    p.sandbox.script.scriptNext([{ fault: 'slow_first_token:60000' }]);

    const turn = await send(p.sandbox, ana, c, 'A long answer please [[standin:tokens=600]]');
    const again = await api(p.sandbox, ana)('mutation S($input: SendMessageInput!) { sendMessage(input: $input) { reply { id } } }', { input: { conversationId: c, content: 'me again', clientMessageId: randomUUID() } });
    await api(p.sandbox, ana)(STOP_REPLY, { c });
    await ended(socket, turn.reply.id);
    p.sandbox.script.clearScripts();

    expect(again.body.errors?.[0]).toMatchObject({ errorType: 'Conflict' });
  });

  it('stops a reply mid-stream: it ends STOPPED with the text so far kept', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const turn = await send(p.sandbox, ana, c, 'Write at length [[standin:tokens=4000]]');
    await socket.waitFor(() => events(socket).filter((e) => e.type === 'DELTA').length >= 3, 'a few DELTAs');

    const stop = await api(p.sandbox, ana)(STOP_REPLY, { c });
    const done = await ended(socket, turn.reply.id);

    expect(stop.body.errors).toBeUndefined();
    expect(done).toMatchObject({ type: 'DONE', status: 'STOPPED' });
    const message = await stored(c, turn.reply.id);
    expect(message.status).toBe('STOPPED');
    expect(message.content).toBe(text(events(socket), turn.reply.id));
    expect(message.content.length).toBeGreaterThan(0);
  });

  it('lets a client that subscribes mid-reply catch up from the stored message: nothing lost, nothing twice', async () => {
    const c = await conversation(p.sandbox, ana);
    const early = await watch(c, 'early');
    // 10 s of reply: still streaming when the late client has subscribed, however slowly; the stop below ends it.
    const turn = await send(p.sandbox, ana, c, 'Tell a long story [[standin:tokens=4000]]');
    await early.waitFor(() => events(early, 'early').filter((e) => e.type === 'DELTA').length >= 5, 'some DELTAs');

    // Act: a second client joins late. It subscribes first, then reads the stored message. Events
    // published before its subscription started are in the stored text once a checkpoint covers
    // them: if the first event it got is not the next after the stored seq, it reads again.
    const late = await watch(c, 'late');
    await late.waitFor(() => events(late, 'late').some((e) => e.type === 'DELTA'), 'a first DELTA on the late client');
    const firstSeen = events(late, 'late').find((e) => e.type === 'DELTA')?.seq ?? 1;
    let snapshot = await stored(c, turn.reply.id);
    while (snapshot.seq < firstSeen - 1 && snapshot.status === 'STREAMING') {
      const seen = events(late, 'late').length;
      await late.waitFor(() => events(late, 'late').length > seen, 'another reply event');
      snapshot = await stored(c, turn.reply.id);
    }
    await api(p.sandbox, ana)(STOP_REPLY, { c });
    await ended(late, turn.reply.id, 'late');
    await ended(early, turn.reply.id, 'early');
    const newer = events(late, 'late').filter((e) => e.messageId === turn.reply.id && e.type === 'DELTA' && e.seq > snapshot.seq);
    const rebuilt = snapshot.content + newer.map((e) => e.text ?? '').join('');

    // Assert
    const final = await stored(c, turn.reply.id);
    expect(rebuilt).toBe(final.content);
    expect(final.content).toBe(text(events(early, 'early'), turn.reply.id));
  });

  it('regenerates the last reply in place of the old one', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const turn = await send(p.sandbox, ana, c, 'Give me a name for a cat');
    await ended(socket, turn.reply.id);

    const regenerated = await api(p.sandbox, ana)('mutation R($c: ID!) { regenerateReply(conversationId: $c) { id status replyTo } }', { c });
    const reply = regenerated.body.data?.regenerateReply as { id: string; status: string; replyTo: string };
    await ended(socket, reply.id);
    const history = await api(p.sandbox, ana)('query L($c: ID!) { listMessages(conversationId: $c) { items { id role status } } }', { c });

    expect(reply).toMatchObject({ status: 'PENDING', replyTo: turn.userMessage.id });
    expect((history.body.data?.listMessages as { items: { id: string }[] }).items.map((m) => m.id)).toEqual([reply.id, turn.userMessage.id]);
  });

  it('pages the history newest first with nextToken', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const turn = await send(p.sandbox, ana, c, `question ${n}`);
      await ended(socket, turn.reply.id);
      ids.unshift(turn.userMessage.id);
      ids.unshift(turn.reply.id);
    }
    const page = 'query L($c: ID!, $next: String) { listMessages(conversationId: $c, limit: 4, nextToken: $next) { items { id } nextToken } }';

    const first = (await api(p.sandbox, ana)(page, { c })).body.data?.listMessages as { items: { id: string }[]; nextToken: string };
    const second = (await api(p.sandbox, ana)(page, { c, next: first.nextToken })).body.data?.listMessages as { items: { id: string }[]; nextToken: string | null };

    expect([...first.items, ...second.items].map((m) => m.id)).toEqual(ids);
    expect(second.nextToken).toBeNull();
  });
});

describe('when the model fails', () => {
  it.each(['rate_limit', 'overloaded', 'api_error'])('retries a %s before the first token and completes', async (fault) => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    p.sandbox.claude?.faults.enqueue(fault as never);

    const turn = await send(p.sandbox, ana, c, 'Hello again');
    const done = await ended(socket, turn.reply.id);

    expect(done.status).toBe('COMPLETE');
  });

  it('ends the reply ERROR with a readable reason when the model keeps failing before the first token', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    p.sandbox.claude?.faults.enqueue('overloaded', 10);

    const turn = await send(p.sandbox, ana, c, 'Anyone there?');
    const done = await ended(socket, turn.reply.id);
    p.sandbox.claude?.faults.clear();

    expect(done).toMatchObject({ type: 'ERROR', status: 'ERROR' });
    expect(done.error).toMatch(/[a-z]{3,} .*[a-z]{3,}/);
    const message = await stored(c, turn.reply.id);
    expect(message).toMatchObject({ status: 'ERROR', error: done.error });
  });

  it.each(['error_mid_stream', 'cut_mid_stream'])('ends the reply ERROR after a %s, keeping the partial text', async (fault) => {
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    p.sandbox.claude?.faults.enqueue(fault as never);

    const turn = await send(p.sandbox, ana, c, 'Keep talking [[standin:tokens=500]]');
    const done = await ended(socket, turn.reply.id);

    expect(done).toMatchObject({ type: 'ERROR', status: 'ERROR' });
    expect(done.error).toBeTruthy();
    const message = await stored(c, turn.reply.id);
    expect(message.status).toBe('ERROR');
    expect(message.content).toBe(text(events(socket), turn.reply.id));
    expect(message.content.length).toBeGreaterThan(0);
  });
});

describe('the Anthropic key', () => {
  it('is read from the template\'s secret through Secrets Manager, once per cold start of the chat function', async () => {
    // Arrange: one more turn, so at least one warm start has run by now.
    const c = await conversation(p.sandbox, ana);
    const socket = await watch(c);
    const turn = await send(p.sandbox, ana, c, 'One more, please.');
    await ended(socket, turn.reply.id);

    // Assert
    const chatFunction = p.sandbox.template.functions.find((f) => f.environment.ANTHROPIC_SECRET_ARN !== undefined);
    const secretArn = chatFunction?.environment.ANTHROPIC_SECRET_ARN ?? '';
    const messages = p.logs.records.map((record) => record.message);
    const coldStarts = messages.filter((m) => m.startsWith(`cold start of ${chatFunction?.name ?? ''} `)).length;
    const starts = messages.filter((m) => m.startsWith(`warm start of ${chatFunction?.name ?? ''} `)).length + coldStarts;
    const reads = messages.filter((m) => m === `GetSecretValue ${secretArn} 200`).length;
    expect(secretArn).toMatch(/^arn:aws:secretsmanager:/);
    expect(coldStarts).toBeGreaterThan(0);
    expect(starts).toBeGreaterThan(coldStarts);
    expect(reads).toBe(coldStarts);
  });
});
