// The chat function with CLAUDE_PROVIDER=bedrock: the real @anthropic-ai/bedrock-sdk, signed with the function's
// credentials, against the stand-in's Bedrock routes, publishing through the sandbox's AppSync.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startChatHarness, type ChatHarness } from './harness.ts';

const MODEL = 'us.anthropic.claude-sonnet-4-6';
let h: ChatHarness;

beforeAll(async () => {
  h = await startChatHarness({ FLUSH_MS: '20', CLAUDE_PROVIDER: 'bedrock', MODEL_ID: MODEL, ANTHROPIC_API_KEY: '' });
}, 120_000);

afterAll(async () => {
  await h.stop();
});

describe('a reply from Claude on Bedrock', () => {
  it('streams DELTAs in order, ends with DONE and stores the streamed text with its usage', async () => {
    const turn = await h.seedTurn({ content: 'Hello Bedrock [[standin:tokens=80]]', model: MODEL });
    const events = await h.subscribe(turn.conversationId);

    const summary = await h.handler(turn);
    const done = await events.waitFor((event) => event.type === 'DONE', 'DONE');

    const seqs = events.events.map((event) => event.seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(await h.read(turn.replyKey)).toMatchObject({ status: 'COMPLETE', content: events.deltas(), stopReason: 'end_turn' });
    expect(done).toMatchObject({ usage: { outputTokens: 80 } });
    expect(summary).toMatchObject({ status: 'COMPLETE', retries: 0 });
    expect(h.standIn.stats().byStatus).toMatchObject({ '200': expect.any(Number) });
  });

  it('retries a ThrottlingException before the first token and completes', async () => {
    const turn = await h.seedTurn({ content: 'Throttled once', model: MODEL });
    h.standIn.faults.enqueue('rate_limit');

    const summary = await h.handler(turn);

    expect(summary).toMatchObject({ status: 'COMPLETE', retries: 1 });
    expect(h.standIn.stats().byStatus['429']).toBeGreaterThanOrEqual(1);
  });

  it('ends a modelStreamErrorException after the first token as ERROR with the text kept and a readable reason', async () => {
    const turn = await h.seedTurn({ content: 'Fail halfway [[standin:tokens=100]]', model: MODEL });
    const events = await h.subscribe(turn.conversationId);
    h.standIn.faults.enqueue('error_mid_stream');

    await h.handler(turn);

    await events.waitFor((event) => event.type === 'ERROR', 'ERROR');
    const stored = await h.read(turn.replyKey);
    expect(String(stored['content']).length).toBeGreaterThan(0);
    expect(stored).toMatchObject({ status: 'ERROR', content: events.deltas(), error: 'The model stopped answering mid-reply (a server error). The text so far is kept.' });
  });

  it('ends a turn whose model id Bedrock refuses as ERROR, without retrying a client error', async () => {
    const turn = await h.seedTurn({ content: 'Wrong model', model: 'claude-sonnet-4-6' });

    const summary = await h.handler(turn);

    expect(summary).toMatchObject({ status: 'ERROR', retries: 0 });
    expect(await h.read(turn.replyKey)).toMatchObject({ status: 'ERROR', error: expect.stringContaining('HTTP 400') as unknown });
  });
});
