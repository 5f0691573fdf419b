// The chat function's tool loop against the Claude stand-in, which calls the tools a message's
// `[[standin:tool=NAME {input}]]` directives name (sandbox/claude-stand-in/tool-calls.ts): events, stored blocks,
// errors the model reads, the bound on rounds, a stop between rounds, and a GraphQL tool acting as the sender.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_TOOLS, validateTools } from '../../../../infra/tools.ts';
import type { ReplyEvent } from '../../../../functions/chat/event.ts';
import { eventually } from '../../../support/until.ts';
import { startChatHarness, type ChatHarness } from './harness.ts';

let chat: ChatHarness;

beforeAll(async () => {
  // What esbuild writes into the bundle (infra/functions.ts); the handler reads it at its first call.
  (globalThis as { __CHAT_TOOLS__?: unknown }).__CHAT_TOOLS__ = validateTools(DEFAULT_TOOLS);
  chat = await startChatHarness({ TOOL_MAX_ITERATIONS: '2', CHECKPOINT_MS: '50' });
});

afterAll(async () => {
  await chat.stop();
});

/** Each event as TYPE#index (the block's index for TOOL_USE and TOOL_RESULT), runs of deltas to one block as one. */
const summaryOf = (events: readonly ReplyEvent[]): string[] => events.map((event) => {
  const body = event as ReplyEvent & { index?: number | null; block?: { index: number } | null };
  if (body.block) return `${event.type}#${body.block.index}`;
  return body.index === undefined || body.index === null ? event.type : `${event.type}#${body.index}`;
}).filter((entry, position, all) => !(entry.startsWith('DELTA#') && all[position - 1] === entry));

/** The next model call asks for a tool; the one after, which answers the tool's result, waits before its first token
 * until the reply is stopped: the reply sits between its rounds for as long as a test needs. */
const holdSecondRound = (): void => chat.standIn.script.scriptNext([
  { text: 'Let me look.', toolCalls: [{ name: 'current_time', input: { timeZone: 'UTC' } }] },
  { fault: 'slow_first_token:60000' },
]);

describe('the tool loop', () => {
  it('runs a tool the model calls, sends the result back, and stores every block in order', async () => {
    const turn = await chat.seedTurn({ content: 'What time is it in Paris? [[standin:tool=current_time {"timeZone":"Europe/Paris"}]]' });
    const log = await chat.subscribe(turn.conversationId);

    const summary = await chat.handler({ ...turn, userToken: chat.idToken });
    await log.waitFor((event) => event.type === 'DONE', 'DONE');

    expect(summary).toMatchObject({ status: 'COMPLETE', modelCalls: 2, toolRuns: 1 });
    const events = log.events.filter((event) => event.type !== 'TITLE');
    expect(summaryOf(events)).toEqual(['DELTA#0', 'TOOL_USE#1', 'TOOL_RESULT#2', 'DELTA#3', 'DONE']);
    expect(events.map((event) => event.seq)).toEqual([...events.map((event) => event.seq)].sort((a, b) => a - b));
    const toolUse = events.find((event) => event.type === 'TOOL_USE') as ReplyEvent & { block: { toolUseId: string; name: string; input: string; status: string } };
    expect(toolUse.block).toMatchObject({ type: 'TOOL_USE', name: 'current_time', status: 'RUNNING' });
    expect(JSON.parse(toolUse.block.input)).toEqual({ timeZone: 'Europe/Paris' });
    const result = events.find((event) => event.type === 'TOOL_RESULT') as ReplyEvent & { block: { toolUseId: string; output: string; isError: boolean } };
    expect(result.block).toMatchObject({ type: 'TOOL_RESULT', toolUseId: toolUse.block.toolUseId, isError: false });
    expect(JSON.parse(result.block.output)).toMatchObject({ timeZone: 'Europe/Paris' });

    const stored = await chat.read(turn.replyKey);
    expect(stored['status']).toBe('COMPLETE');
    const blocks = stored['blocks'] as { index: number; type: string; text?: string; status?: string; output?: string }[];
    expect(blocks.map((block) => `${block.type}#${block.index}`)).toEqual(['TEXT#0', 'TOOL_USE#1', 'TOOL_RESULT#2', 'TEXT#3']);
    expect(blocks[1]?.status).toBe('COMPLETE');
    expect(blocks[2]?.output).toBe(result.block.output);
    // The model read the tool's answer: the stand-in quotes it in its second answer.
    expect(blocks[3]?.text).toContain('Tool current_time returned:');
    expect(stored['content']).toBe(`${blocks[0]?.text}\n\n${blocks[3]?.text}`);
    // The text events rebuild the stored text, block by block.
    const textOf = (index: number): string => events.filter((event) => event.type === 'DELTA' && (event as { index?: number }).index === index).map((event) => (event as { text: string }).text).join('');
    expect(textOf(0)).toBe(blocks[0]?.text);
    expect(textOf(3)).toBe(blocks[3]?.text);
    expect(stored['seq']).toBe(events.at(-1)?.seq);
  });

  it('gives the model an error result for input its schema refuses, and the reply still completes', async () => {
    const turn = await chat.seedTurn({ content: 'Time on Mars? [[standin:tool=current_time {"timeZone":42}]]' });

    const summary = await chat.handler({ ...turn, userToken: chat.idToken });

    expect(summary).toMatchObject({ status: 'COMPLETE', toolRuns: 1 });
    const stored = await chat.read(turn.replyKey);
    const blocks = stored['blocks'] as { type: string; status?: string; output?: string; isError?: boolean; text?: string }[];
    expect(blocks.find((block) => block.type === 'TOOL_USE')?.status).toBe('ERROR');
    const result = blocks.find((block) => block.type === 'TOOL_RESULT');
    expect(result?.isError).toBe(true);
    expect(JSON.parse(result?.output ?? '{}')).toEqual({ error: expect.stringMatching(/timeZone/) });
    expect(blocks.at(-1)?.text).toContain('Tool current_time failed:');
  });

  it('stops calling tools after TOOL_MAX_ITERATIONS rounds: the last call may not use tools', async () => {
    const directive = '[[standin:tool=current_time {"timeZone":"UTC"}]]';
    const turn = await chat.seedTurn({ content: `Three times, please. ${directive} ${directive} ${directive}` });

    const summary = await chat.handler({ ...turn, userToken: chat.idToken });

    expect(summary).toMatchObject({ status: 'COMPLETE', modelCalls: 3, toolRuns: 2 });
    const blocks = (await chat.read(turn.replyKey))['blocks'] as { type: string; text?: string }[];
    expect(blocks.filter((block) => block.type === 'TOOL_RESULT')).toHaveLength(2);
    expect(blocks.at(-1)?.text).toContain('I cannot call the tool current_time: tool_choice is none.');
  });

  it('adds up the usage of every model call of the loop', async () => {
    const plain = await chat.seedTurn({ content: 'What time is it?' });
    const withTool = await chat.seedTurn({ content: 'What time is it? [[standin:tool=current_time {}]]' });

    const once = await chat.handler({ ...plain, userToken: chat.idToken });
    const looped = await chat.handler({ ...withTool, userToken: chat.idToken });

    expect(looped.modelCalls).toBe(2);
    // The second call's prompt holds the first call's answer and the tool result: more than twice one prompt.
    expect(looped.usage.inputTokens).toBeGreaterThan(2 * once.usage.inputTokens);
    expect((await chat.read(withTool.replyKey))['usage']).toEqual(looped.usage);
  });

  it('keeps every finished block when the user stops the reply between rounds', async () => {
    // The second model call waits before its first token until the stop ends it: the stop lands between the rounds
    // however slowly the tool result reaches the test.
    holdSecondRound();
    const turn = await chat.seedTurn({ content: 'What time is it?' });
    const log = await chat.subscribe(turn.conversationId);

    const running = chat.handler({ ...turn, userToken: chat.idToken });
    await log.waitFor((event) => event.type === 'TOOL_RESULT', 'the tool result');
    await chat.requestStop(turn.replyKey);
    const summary = await running;
    chat.standIn.script.clearScripts();

    expect(summary.status).toBe('STOPPED');
    const stored = await chat.read(turn.replyKey);
    const blocks = stored['blocks'] as { type: string; status?: string }[];
    expect(blocks.slice(0, 3).map((block) => block.type)).toEqual(['TEXT', 'TOOL_USE', 'TOOL_RESULT']);
    expect(blocks[1]?.status).toBe('COMPLETE');
    const done = await log.waitFor((event) => event.type === 'DONE', 'DONE');
    expect(stored['seq']).toBe(done.seq);
  });

  it('keeps a finished round durable: a function that dies after a tool result leaves a reply the API reads as INTERRUPTED with its blocks', async () => {
    // The second model call waits before its first token, so the table holds the finished round and nothing of the
    // next one until the test has read it; the stop then ends that wait.
    holdSecondRound();
    const turn = await chat.seedTurn({ content: 'What time is it?' });
    const log = await chat.subscribe(turn.conversationId);
    const running = chat.handler({ ...turn, userToken: chat.idToken });
    await log.waitFor((event) => event.type === 'TOOL_RESULT', 'the tool result');
    // What the table holds at this moment is what a function killed now would leave behind.
    const atDeath = await eventually(async () => {
      const item = await chat.read(turn.replyKey);
      return (item['blocks'] as unknown[] | undefined)?.length === 3 ? item : undefined;
    }, 'the round to be checkpointed');
    await chat.requestStop(turn.replyKey);
    expect((await running).status).toBe('STOPPED');
    chat.standIn.script.clearScripts();

    // The function died there: its item as checkpointed, and its lease then ran out.
    await chat.db.send(new PutCommand({ TableName: chat.tableName, Item: { ...atDeath, leaseUntil: Date.now() - 1000 } }));
    const answer = await fetch(chat.sandbox.urls.graphql, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: chat.idToken },
      body: JSON.stringify({ query: 'query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) { status error blocks { type status } } }', variables: { c: turn.conversationId, id: turn.replyId } }),
    });
    const read = ((await answer.json()) as { data: { getMessage: { status: string; error: string; blocks: { type: string; status: string | null }[] } } }).data.getMessage;

    expect(atDeath['status']).toBe('STREAMING');
    expect(read.status).toBe('INTERRUPTED');
    expect(read.error).toMatch(/stopped unexpectedly/);
    expect(read.blocks).toEqual([{ type: 'TEXT', status: null }, { type: 'TOOL_USE', status: 'COMPLETE' }, { type: 'TOOL_RESULT', status: null }]);
  });

  it('runs a GraphQL tool as the user who sent the message: it reads that user\'s conversations', async () => {
    const turn = await chat.seedTurn({ content: 'What did we talk about? [[standin:tool=list_recent_conversations {"limit":20}]]', title: 'Tool loop title' });

    await chat.handler({ ...turn, userToken: chat.idToken });

    const blocks = (await chat.read(turn.replyKey))['blocks'] as { type: string; output?: string; isError?: boolean }[];
    const result = blocks.find((block) => block.type === 'TOOL_RESULT');
    expect(result?.output).toContain(turn.conversationId);
    expect(result?.isError).toBe(false);
  });

  it('tells the model a GraphQL tool cannot run when the invocation carries no user token', async () => {
    const turn = await chat.seedTurn({ content: 'What did we talk about? [[standin:tool=list_recent_conversations {}]]' });

    const summary = await chat.handler(turn);

    expect(summary.status).toBe('COMPLETE');
    const result = ((await chat.read(turn.replyKey))['blocks'] as { type: string; isError?: boolean }[]).find((block) => block.type === 'TOOL_RESULT');
    expect(result?.isError).toBe(true);
  });

  it('never writes the user token to the reply item', async () => {
    const turn = await chat.seedTurn({ content: 'Again. [[standin:tool=list_recent_conversations {}]]' });

    await chat.handler({ ...turn, userToken: chat.idToken });

    const stored = await eventually(async () => {
      const item = await chat.read(turn.replyKey);
      return item['status'] === 'COMPLETE' ? item : undefined;
    }, 'the reply to complete');
    expect(JSON.stringify(stored)).not.toContain(chat.idToken);
  });
});

describe('extended thinking', () => {
  it('streams thinking as THINKING_DELTA events, batched, and keeps its signature out of every event', async () => {
    const turn = await chat.seedTurn({ content: 'Think first. [[standin:think]]', thinkingBudgetTokens: 2048 });
    const log = await chat.subscribe(turn.conversationId);

    const summary = await chat.handler({ ...turn, userToken: chat.idToken });
    await log.waitFor((event) => event.type === 'DONE', 'DONE');

    expect(summary.status).toBe('COMPLETE');
    const thinking = log.events.filter((event) => event.type === 'THINKING_DELTA');
    expect(thinking.length).toBeGreaterThan(0);
    expect(thinking.every((event) => (event as { index?: number }).index === 0)).toBe(true);
    const stored = await chat.read(turn.replyKey);
    const blocks = stored['blocks'] as { index: number; type: string; text?: string; signature?: string }[];
    expect(blocks[0]).toMatchObject({ index: 0, type: 'THINKING', signature: expect.any(String) });
    expect(thinking.map((event) => (event as { text: string }).text).join('')).toBe(blocks[0]?.text);
    // Batched by the coalescer like text: far fewer events than the stand-in's thinking deltas.
    expect(thinking.length).toBeLessThan((blocks[0]?.text ?? '').split(' ').length);
    expect(JSON.stringify(log.events)).not.toContain(blocks[0]?.signature);
    expect(stored['content']).toBe(blocks.filter((block) => block.type === 'TEXT').map((block) => block.text).join('\n\n'));
  });

  it('sends the signed thinking back in the tool loop, as the API requires, and the loop completes', async () => {
    const turn = await chat.seedTurn({ content: 'Think, then look. [[standin:think]] [[standin:tool=current_time {"timeZone":"UTC"}]]', thinkingBudgetTokens: 1024 });

    const summary = await chat.handler({ ...turn, userToken: chat.idToken });

    // The stand-in refuses a tool loop whose assistant turn does not open with its own signed thinking block.
    expect(summary).toMatchObject({ status: 'COMPLETE', modelCalls: 2, toolRuns: 1 });
    const blocks = (await chat.read(turn.replyKey))['blocks'] as { type: string; text?: string }[];
    expect(blocks[0]?.type).toBe('THINKING');
    expect(blocks.map((block) => block.type)).toContain('TOOL_RESULT');
    expect(blocks.at(-1)?.text).toContain('Tool current_time returned:');
  });

  it('leaves thinking off when the conversation has no budget, though the message asks for it', async () => {
    const turn = await chat.seedTurn({ content: 'Think first. [[standin:think]]' });

    await chat.handler({ ...turn, userToken: chat.idToken });

    const blocks = (await chat.read(turn.replyKey))['blocks'] as { type: string }[];
    expect(blocks.map((block) => block.type)).toEqual(['TEXT']);
  });
});
