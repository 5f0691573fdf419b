// The chat function end to end: a real reply through DynamoDB Local, the Claude stand-in and the sandbox's AppSync.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
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
