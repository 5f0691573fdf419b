// Client tools end to end: sendMessage gives a tool the front end runs itself, the model calls it, the reply waits
// (AWAITING_TOOL_RESULT, the TOOL_USE block AWAITING_RESULT), submitToolResult answers it and the same reply goes on
// to COMPLETE. Plus what is refused, and a stop while the reply waits. The stand-in calls the tools that a message's
// `[[standin:tool=NAME {input}]]` directives name (sandbox/claude-stand-in/tool-calls.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, conversation, events, startProduct, STOP_REPLY, subscribe, user, type Product, type User } from './product.ts';
import type { RawClient } from '../integration/sandbox/ws-client.ts';

const SEND = `mutation S($input: SendMessageInput!) { sendMessage(input: $input) { reply { id status } } }`;
const MESSAGE = `query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) {
  id status content seq stopReason usage { inputTokens outputTokens }
  blocks { index type text toolUseId name input status output isError } } }`;
const SUBMIT = `mutation T($input: SubmitToolResultInput!) { submitToolResult(input: $input) {
  id status blocks { index type toolUseId status } } }`;

const LOCATION_TOOL = {
  name: 'get_location', description: 'Where the user is, from the browser.',
  inputSchema: JSON.stringify({ type: 'object', properties: { precise: { type: 'boolean' } } }),
};

interface Block { index: number; type: string; text?: string | null; toolUseId?: string | null; name?: string | null; input?: string | null; status?: string | null; output?: string | null; isError?: boolean | null }
interface StoredMessage { id: string; status: string; content: string; seq: number; stopReason: string | null; blocks: Block[] }

let p: Product;
let ana: User;
let bob: User;
const sockets: RawClient[] = [];

beforeAll(async () => {
  p = await startProduct();
  ana = await user(p.sandbox, 'ana@example.com');
  bob = await user(p.sandbox, 'bob@example.com');
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await p?.stop();
});

async function sendWithTools(who: User, c: string, content: string, clientTools: unknown[] = [LOCATION_TOOL]) {
  return api(p.sandbox, who)(SEND, { input: { conversationId: c, content, clientMessageId: randomUUID(), clientTools } });
}

async function message(who: User, c: string, id: string): Promise<StoredMessage> {
  return (await api(p.sandbox, who)(MESSAGE, { c, id })).body.data?.getMessage as StoredMessage;
}

/** Waits for the reply's DONE or ERROR event that carries `status`. */
async function reached(socket: RawClient, replyId: string, status: string): Promise<void> {
  await socket.waitFor(() => events(socket).some((event) => event.messageId === replyId && event.status === status), `reply ${replyId} to reach ${status}`, 30_000);
}

/** A conversation of Ana's whose reply waits for get_location. */
async function waitingReply(content = 'Where am I? [[standin:tool=get_location {"precise":true}]]'): Promise<{ c: string; replyId: string; socket: RawClient; call: Block }> {
  const c = await conversation(p.sandbox, ana);
  const socket = await subscribe(p.sandbox, ana, c);
  sockets.push(socket);
  const sent = await sendWithTools(ana, c, content);
  const replyId = (sent.body.data?.sendMessage as { reply: { id: string } }).reply.id;
  await reached(socket, replyId, 'AWAITING_TOOL_RESULT');
  const call = (await message(ana, c, replyId)).blocks.find((block) => block.type === 'TOOL_USE') as Block;
  return { c, replyId, socket, call };
}

describe('a client tool', () => {
  it('pauses the reply on its call, and submitToolResult makes the same reply go on to COMPLETE', async () => {
    const { c, replyId, socket, call } = await waitingReply();
    const paused = await message(ana, c, replyId);

    const answer = await api(p.sandbox, ana)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: call.toolUseId, output: JSON.stringify({ city: 'Lisbon' }) } });
    await reached(socket, replyId, 'COMPLETE');

    expect(paused).toMatchObject({ status: 'AWAITING_TOOL_RESULT', stopReason: 'tool_use' });
    expect(call).toMatchObject({ name: 'get_location', status: 'AWAITING_RESULT' });
    expect(JSON.parse(call.input ?? '{}')).toEqual({ precise: true });
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.submitToolResult).toMatchObject({ id: replyId, status: 'PENDING' });
    const done = await message(ana, c, replyId);
    expect(done.status).toBe('COMPLETE');
    expect(done.blocks.map((block) => block.type)).toEqual(['TEXT', 'TOOL_USE', 'TOOL_RESULT', 'TEXT']);
    expect(done.blocks[1]).toMatchObject({ status: 'COMPLETE', toolUseId: call.toolUseId });
    expect(done.blocks[2]).toMatchObject({ toolUseId: call.toolUseId, isError: false });
    expect(JSON.parse(done.blocks[2]?.output ?? 'null')).toEqual({ city: 'Lisbon' });
    expect(done.blocks[3]?.text).toContain('Tool get_location returned:');
    expect(done.blocks[3]?.text).toContain('Lisbon');
    // One seq sequence across both invocations: every event once, in order, the last one the message's seq.
    const seqs = events(socket).filter((event) => event.messageId === replyId).map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));
    expect(done.seq).toBe(seqs.at(-1));
  });

  it('answers the same result sent again with the reply as it is, and refuses a different one with Conflict', async () => {
    const { c, replyId, socket, call } = await waitingReply();
    const output = JSON.stringify({ city: 'Porto' });
    await api(p.sandbox, ana)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: call.toolUseId, output } });
    await reached(socket, replyId, 'COMPLETE');
    const before = await message(ana, c, replyId);

    const again = await api(p.sandbox, ana)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: call.toolUseId, output } });
    const other = await api(p.sandbox, ana)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: call.toolUseId, output: JSON.stringify({ city: 'Faro' }) } });

    // A retry after a lost answer gets the reply as it is now, though it went on and completed meanwhile.
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.submitToolResult).toMatchObject({ id: replyId, status: 'COMPLETE' });
    expect(other.body.errors?.[0]).toMatchObject({ errorType: 'Conflict', message: `A different result was already submitted for the tool call '${call.toolUseId}'.` });
    expect(await message(ana, c, replyId)).toEqual(before);
  });

  it('refuses a toolUseId the reply does not await, and another user\'s answer, leaving the reply waiting', async () => {
    const { c, replyId, call } = await waitingReply();

    const unknown = await api(p.sandbox, ana)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: 'toolu_nope', output: '{}' } });
    const stranger = await api(p.sandbox, bob)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: call.toolUseId, output: '{}' } });

    expect(unknown.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', message: "The reply has no client tool call 'toolu_nope' waiting for a result." });
    expect(stranger.body.errors?.[0]).toMatchObject({ errorType: 'NotFound', message: 'The message was not found.' });
    expect((await message(ana, c, replyId)).status).toBe('AWAITING_TOOL_RESULT');
  });

  it('keeps the conversation: another message is refused with Conflict while the reply waits', async () => {
    const { c } = await waitingReply();

    const next = await api(p.sandbox, ana)(SEND, { input: { conversationId: c, content: 'Hello?', clientMessageId: randomUUID() } });

    expect(next.body.errors?.[0]).toMatchObject({ errorType: 'Conflict', message: expect.stringContaining('submitToolResult') });
  });

  it('refuses an answer to a reply that does not wait, with Conflict', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await subscribe(p.sandbox, ana, c);
    sockets.push(socket);
    const replyId = ((await sendWithTools(ana, c, 'No tools needed.')).body.data?.sendMessage as { reply: { id: string } }).reply.id;
    await reached(socket, replyId, 'COMPLETE');

    const answer = await api(p.sandbox, ana)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: 'toolu_x', output: '{}' } });

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'Conflict', message: 'The reply is not waiting for a tool result.' });
  });

  it('ends a waiting reply STOPPED on stopReply, keeping its blocks, and frees the conversation', async () => {
    const { c, replyId, socket } = await waitingReply();

    const stopped = await api(p.sandbox, ana)(STOP_REPLY, { c });
    await reached(socket, replyId, 'STOPPED');

    expect(stopped.body.errors).toBeUndefined();
    const done = await message(ana, c, replyId);
    expect(done.status).toBe('STOPPED');
    expect(done.blocks.map((block) => block.type)).toEqual(['TEXT', 'TOOL_USE']);
    expect(done.blocks[1]?.status).toBe('ERROR');
    const next = await api(p.sandbox, ana)(SEND, { input: { conversationId: c, content: 'Never mind.', clientMessageId: randomUUID() } });
    expect(next.body.errors).toBeUndefined();
  });

  it('tells the model when the front end reports the tool failed', async () => {
    const { c, replyId, socket, call } = await waitingReply();

    await api(p.sandbox, ana)(SUBMIT, { input: { conversationId: c, messageId: replyId, toolUseId: call.toolUseId, output: JSON.stringify({ error: 'Permission denied' }), isError: true } });
    await reached(socket, replyId, 'COMPLETE');

    const done = await message(ana, c, replyId);
    expect(done.blocks[1]?.status).toBe('ERROR');
    expect(done.blocks[2]?.isError).toBe(true);
    expect(done.blocks[3]?.text).toContain('Tool get_location failed:');
  });
});

describe('sendMessage with client tools', () => {
  it.each([
    ['a name the API\'s own tools use', [{ ...LOCATION_TOOL, name: 'current_time' }], "clientTools[0].name 'current_time' is a tool of the API itself; choose another name."],
    ['a name with a space', [{ ...LOCATION_TOOL, name: 'get location' }], "clientTools[0].name 'get location' must be 1 to 64 letters, digits, '_' or '-'."],
    ['the same name twice', [LOCATION_TOOL, LOCATION_TOOL], "clientTools[1].name 'get_location' is given twice; tool names must be unique."],
    ['a schema that is not of type object', [{ ...LOCATION_TOOL, inputSchema: JSON.stringify({ type: 'string' }) }], 'clientTools[0].inputSchema must be a JSON Schema object whose type is "object", as the Messages API requires.'],
  ])('refuses %s with ValidationError, writing nothing', async (_what, tools, message) => {
    const c = await conversation(p.sandbox, ana);

    const sent = await sendWithTools(ana, c, 'Hi', tools);

    expect(sent.body.errors?.[0]).toMatchObject({ errorType: 'ValidationError', message });
    const listed = await api(p.sandbox, ana)('query L($c: ID!) { listMessages(conversationId: $c) { items { id } } }', { c });
    expect(listed.body.data?.listMessages).toEqual({ items: [] });
  });
});
