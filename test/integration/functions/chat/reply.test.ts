// The chat function end to end: a real reply through DynamoDB Local, the Claude stand-in and the sandbox's AppSync.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { estimateTokens } from '../../../../functions/chat/history.ts';
import type { TokenUsage } from '../../../../functions/chat/event.ts';
import { usageSk, userPk } from '../../../../resolvers/keys.ts';
import { startChatHarness, type ChatHarness } from './harness.ts';

let h: ChatHarness;

beforeAll(async () => {
  h = await startChatHarness({ FLUSH_MS: '20' });
}, 120_000);

afterAll(async () => {
  await h.stop();
});

describe('a full reply', () => {
  it('streams DELTAs with seq 1..n in order, ends with DONE and stores the concatenated text as COMPLETE', async () => {
    const turn = await h.seedTurn({ content: 'Tell me about tests [[standin:tokens=200]]' });
    const events = await h.subscribe(turn.conversationId);

    const summary = await h.handler(turn);
    await events.waitFor((event) => event.type === 'DONE', 'DONE');

    const seqs = events.events.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    const stored = await h.read(turn.replyKey);
    expect(stored).toMatchObject({ status: 'COMPLETE', content: events.deltas(), seq: seqs.length, stopReason: 'end_turn' });
    expect(stored['leaseUntil']).toBeUndefined();
    expect(summary).toMatchObject({ outcome: 'finished', status: 'COMPLETE' });
  });

  it('adds the reply\'s usage to the day\'s usage item', async () => {
    const turn = await h.seedTurn({ content: 'Count my tokens [[standin:tokens=40]]' });
    const day = new Date().toISOString().slice(0, 10);
    const before = await h.read({ pk: userPk(h.owner), sk: usageSk(day) });

    const summary = await h.handler(turn);

    const after = await h.read({ pk: userPk(h.owner), sk: usageSk(day) });
    expect(Number(after['outputTokens'])).toBe(Number(before['outputTokens'] ?? 0) + 40);
    expect(Number(after['inputTokens'])).toBe(Number(before['inputTokens'] ?? 0) + summary.usage.inputTokens);
    expect(Number(after['expiresAt'])).toBeGreaterThan(Date.now() / 1000 + 80 * 24 * 3600);
  });

  it('clears the conversation\'s activeReplyId and moves it up the recency index', async () => {
    const turn = await h.seedTurn({ content: 'Hello' });
    const before = await h.read(turn.conversationKey);

    await h.handler(turn);

    const conversation = await h.read(turn.conversationKey);
    expect(conversation['activeReplyId']).toBeUndefined();
    expect(String(conversation['updatedAt']) > String(before['updatedAt'])).toBe(true);
    expect(conversation['gsi1sk']).toBe(`${String(conversation['updatedAt'])}#${turn.conversationId}`);
  });

  it('streams nothing on a duplicate invocation', async () => {
    const turn = await h.seedTurn({ content: 'Only once' });
    await h.handler(turn);
    const requests = h.standIn.stats().requests;

    const again = await h.handler(turn);

    expect(again).toMatchObject({ outcome: 'duplicate', publishes: 0 });
    expect(h.standIn.stats().requests).toBe(requests);
  });

  it('names a conversation without a title from the first words of its first message and publishes TITLE', async () => {
    const turn = await h.seedTurn({ content: 'Plan a weekend trip to Lisbon with friends please', title: null });
    const events = await h.subscribe(turn.conversationId);

    await h.handler(turn);

    const title = await events.waitFor((event) => event.type === 'TITLE', 'TITLE');
    expect(title).toMatchObject({ title: 'Plan a weekend trip to Lisbon…' });
    expect(await h.read(turn.conversationKey)).toMatchObject({ title: 'Plan a weekend trip to Lisbon…' });
  });

  it('keeps a title the conversation already has', async () => {
    const turn = await h.seedTurn({ content: 'Something else entirely', title: 'Mine' });
    const events = await h.subscribe(turn.conversationId);

    await h.handler(turn);

    await events.waitFor((event) => event.type === 'DONE', 'DONE');
    expect(events.events.some((event) => event.type === 'TITLE')).toBe(false);
    expect(await h.read(turn.conversationKey)).toMatchObject({ title: 'Mine' });
  });

  it('sends the history and the system prompt, and the next turn reads the previous turn\'s prefix from the cache', async () => {
    const long = 'Remember this context well. '.repeat(400);
    const turn = await h.seedTurn({
      content: 'And the third question?', systemPrompt: long,
      earlier: [{ role: 'USER', content: `First question ${long}` }, { role: 'ASSISTANT', content: 'First answer.' }, { role: 'USER', content: 'Second question' }, { role: 'ASSISTANT', content: 'Second answer.' }],
    });
    const warm = await h.seedTurn({
      content: 'Second question', systemPrompt: long,
      earlier: [{ role: 'USER', content: `First question ${long}` }, { role: 'ASSISTANT', content: 'First answer.' }],
    });
    await h.handler(warm);

    const summary = await h.handler(turn);

    expect(summary.usage.cacheReadInputTokens).toBeGreaterThan(1024);
  });

  it('ends as ERROR with a readable reason when the conversation is gone', async () => {
    const turn = await h.seedTurn({ content: 'Hello?' });
    await h.db.send(new (await import('@aws-sdk/lib-dynamodb')).DeleteCommand({ TableName: h.tableName, Key: turn.conversationKey }));

    const summary = await h.handler(turn);

    expect(summary.status).toBe('ERROR');
    expect(await h.read(turn.replyKey)).toMatchObject({ status: 'ERROR', error: 'The reply failed because of an internal error. Please try again.' });
  });
});

/** Every token of the prompt the model was sent, cached or not. */
const promptTokens = (usage: TokenUsage): number => usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens;

describe('the history after a failed turn', () => {
  it('leaves out the user message whose reply failed, with the reply, so the prompt alternates user and assistant', async () => {
    const turn = await h.seedTurn({
      content: 'Second question',
      earlier: [
        { role: 'USER', content: 'First question' }, { role: 'ASSISTANT', content: 'First answer.' },
        { role: 'USER', content: `A question whose reply failed ${'x'.repeat(4000)}` }, { role: 'ASSISTANT', content: 'Half an ans', status: 'ERROR' },
      ],
    });

    const summary = await h.handler(turn);

    expect(summary.status).toBe('COMPLETE');
    expect(promptTokens(summary.usage)).toBe(estimateTokens('First question') + estimateTokens('First answer.') + estimateTokens('Second question'));
  });
});

describe('the quota reservation', () => {
  const today = (): string => new Date().toISOString().slice(0, 10);
  const committed = async (day: string): Promise<number> => Number((await h.read({ pk: userPk(h.owner), sk: usageSk(day) }))['committedTokens'] ?? 0);

  it('is replaced by what the reply spent: the day\'s committed tokens change by the usage less the reservation', async () => {
    const turn = await h.seedTurn({ content: 'Count my tokens [[standin:tokens=40]]', reservation: { day: today(), tokens: 4200, outputTokens: 4096 } });
    const before = await committed(today());

    const summary = await h.handler(turn);

    expect(await committed(today())).toBe(before + summary.usage.inputTokens + summary.usage.outputTokens - 4200);
  });

  it('is given back whole when the reply fails before the model answers', async () => {
    const turn = await h.seedTurn({ content: 'Hello?', reservation: { day: today(), tokens: 4200, outputTokens: 4096 } });
    await h.db.send(new (await import('@aws-sdk/lib-dynamodb')).DeleteCommand({ TableName: h.tableName, Key: turn.conversationKey }));
    const before = await committed(today());

    const summary = await h.handler(turn);

    expect(summary.status).toBe('ERROR');
    expect(await committed(today())).toBe(before - 4200);
  });

  it('settles on the day it was made, with the reply\'s usage', async () => {
    const turn = await h.seedTurn({ content: 'Started before midnight', reservation: { day: '2000-01-01', tokens: 4200, outputTokens: 4096 } });

    const summary = await h.handler(turn);

    const day = await h.read({ pk: userPk(h.owner), sk: usageSk('2000-01-01') });
    expect(day).toMatchObject({ inputTokens: summary.usage.inputTokens, outputTokens: summary.usage.outputTokens });
    expect(day['committedTokens']).toBe(summary.usage.inputTokens + summary.usage.outputTokens - 4200);
  });

  it('caps the reply at the output it reserved', async () => {
    const turn = await h.seedTurn({ content: 'Write at length [[standin:tokens=200]]', reservation: { day: today(), tokens: 80, outputTokens: 50 } });

    const summary = await h.handler(turn);

    expect(summary.usage.outputTokens).toBe(50);
    expect(await h.read(turn.replyKey)).toMatchObject({ status: 'COMPLETE', stopReason: 'max_tokens' });
  });

  it('is sized for the next turn from this one: the conversation keeps the size of its context, the prompt and the reply', async () => {
    const turn = await h.seedTurn({ content: 'How big is this conversation?', systemPrompt: 'Be brief.', earlier: [{ role: 'USER', content: 'Hi' }, { role: 'ASSISTANT', content: 'Hello.' }] });

    const summary = await h.handler(turn);

    // The reply counts as the larger of its output tokens and its estimate: it is read back as input next time.
    const reply = String((await h.read(turn.replyKey))['content']);
    const prompt = estimateTokens('Be brief.') + estimateTokens('Hi') + estimateTokens('Hello.') + estimateTokens('How big is this conversation?');
    expect(promptTokens(summary.usage)).toBe(prompt);
    expect((await h.read(turn.conversationKey))['contextTokens']).toBe(prompt + Math.max(summary.usage.outputTokens, estimateTokens(reply)));
  });

  it('takes the conversation\'s settings from the invocation when sendMessage sent them, without reading them', async () => {
    const turn = await h.seedTurn({ content: 'Which instructions?', systemPrompt: 'Be brief.' });
    const sent = 'Answer in one long and careful paragraph.';

    const summary = await h.handler({ ...turn, conversation: { model: 'claude-sonnet-4-6', systemPrompt: sent, thinkingBudgetTokens: null, title: 'A conversation' } });

    expect(promptTokens(summary.usage)).toBe(estimateTokens(sent) + estimateTokens('Which instructions?'));
    expect(summary).toMatchObject({ outcome: 'finished', status: 'COMPLETE' });
  });

  it('reads the conversation\'s settings when the invocation\'s are not in their shape', async () => {
    const turn = await h.seedTurn({ content: 'Which instructions?', systemPrompt: 'Be brief.' });

    const summary = await h.handler({ ...turn, conversation: { model: 'claude-sonnet-4-6', systemPrompt: 42 } });

    expect(promptTokens(summary.usage)).toBe(estimateTokens('Be brief.') + estimateTokens('Which instructions?'));
  });

  it('leaves the size of the context as it was when the reply fails, as the next prompt leaves the failed turn out', async () => {
    const turn = await h.seedTurn({ content: 'Fail halfway [[standin:tokens=100]]' });
    await h.db.send(new UpdateCommand({ TableName: h.tableName, Key: turn.conversationKey, UpdateExpression: 'SET contextTokens = :size', ExpressionAttributeValues: { ':size': 1234 } }));
    h.standIn.faults.enqueue('error_mid_stream');

    const summary = await h.handler(turn);

    expect(summary.status).toBe('ERROR');
    expect((await h.read(turn.conversationKey))['contextTokens']).toBe(1234);
  });
});
