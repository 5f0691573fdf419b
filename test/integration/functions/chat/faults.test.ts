// How the chat function meets model failures and stops: retried before the first token, ERROR with the text kept after it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../../../support/until.ts';
import { startChatHarness, type ChatHarness } from './harness.ts';

let h: ChatHarness;

beforeAll(async () => {
  h = await startChatHarness({ FLUSH_MS: '20' });
}, 120_000);

afterAll(async () => {
  await h.stop();
});

describe('failures before the first token', () => {
  it.each(['rate_limit', 'overloaded', 'api_error'] as const)('retries after %s and completes', async (fault) => {
    const turn = await h.seedTurn({ content: 'Try again please' });
    h.standIn.faults.enqueue(fault);

    const summary = await h.handler(turn);

    expect(summary).toMatchObject({ status: 'COMPLETE', retries: 1 });
    expect(await h.read(turn.replyKey)).toMatchObject({ status: 'COMPLETE', error: null });
  });

  it('ends as ERROR with a readable reason when every attempt fails', async () => {
    const turn = await h.seedTurn({ content: 'Never answered' });
    h.standIn.faults.enqueue('overloaded', 3);

    const summary = await h.handler(turn);

    expect(summary).toMatchObject({ status: 'ERROR', retries: 2 });
    expect(await h.read(turn.replyKey)).toMatchObject({ status: 'ERROR', content: '', error: 'The model could not answer (overloaded). Please try again.' });
  });
});

describe('failures after the first token', () => {
  it.each(['error_mid_stream', 'cut_mid_stream'] as const)('ends %s as ERROR with the partial text and a readable error', async (fault) => {
    const turn = await h.seedTurn({ content: 'Fail halfway [[standin:tokens=100]]' });
    const events = await h.subscribe(turn.conversationId);
    h.standIn.faults.enqueue(fault);

    const summary = await h.handler(turn);

    const ended = await events.waitFor((event) => event.type === 'ERROR', 'ERROR');
    const stored = await h.read(turn.replyKey);
    expect(summary.retries).toBe(0);
    expect(String(stored['content']).length).toBeGreaterThan(0);
    expect(stored).toMatchObject({ status: 'ERROR', content: events.deltas() });
    expect(String(stored['error'])).toMatch(/^The model stopped answering mid-reply \((overloaded|the connection was lost)\)\. The text so far is kept\.$/);
    expect(ended).toMatchObject({ status: 'ERROR', error: stored['error'] });
  });
});

describe('a slow reply', () => {
  beforeAll(() => {
    h.useStandIn(400);
    process.env['CHECKPOINT_MS'] = '300';
  });

  afterAll(() => {
    h.useStandIn(0);
    delete process.env['CHECKPOINT_MS'];
  });

  it('checkpoints text and seq that match deltas 1..seq exactly', async () => {
    // Long enough (10 s) to stream on until the test has read a checkpoint; the stop then ends it.
    const turn = await h.seedTurn({ content: 'A long one [[standin:tokens=4000]]' });
    const events = await h.subscribe(turn.conversationId);

    const running = h.handler(turn);
    const checkpoint = await eventually(async () => {
      const item = await h.read(turn.replyKey);
      return item['status'] === 'STREAMING' && Number(item['seq']) > 0 ? item : undefined;
    }, 'a checkpoint');
    await h.requestStop(turn.replyKey);
    await running;
    // Every event up to the checkpoint's seq has arrived once the last one has.
    await events.waitFor((event) => event.type === 'DONE', 'DONE');

    const upTo = events.events.filter((event) => event.seq <= Number(checkpoint['seq']));
    expect(upTo.filter((event) => event.type === 'DELTA').map((event) => (event as { text: string }).text).join('')).toBe(checkpoint['content']);
  });

  it('stops when stopRequested is set and keeps the text so far', async () => {
    const turn = await h.seedTurn({ content: 'Go on and on [[standin:tokens=4000]]' });
    const events = await h.subscribe(turn.conversationId);
    const running = h.handler(turn);
    await events.waitFor((event) => event.type === 'DELTA', 'the first DELTA');

    await h.requestStop(turn.replyKey);
    const summary = await running;

    const done = await events.waitFor((event) => event.type === 'DONE', 'DONE');
    const stored = await h.read(turn.replyKey);
    expect(summary.status).toBe('STOPPED');
    expect(done).toMatchObject({ status: 'STOPPED' });
    expect(stored).toMatchObject({ status: 'STOPPED', content: events.deltas(), stopReason: 'stop_requested' });
    expect(String(stored['content']).length).toBeGreaterThan(0);
    expect(summary.usage.outputTokens).toBeLessThan(4000);
  });

  it('ends a reply stopped before its claim STOPPED with no text, and streams nothing', async () => {
    const turn = await h.seedTurn({ content: 'Never mind [[standin:tokens=4000]]' });
    const events = await h.subscribe(turn.conversationId);
    await h.requestStop(turn.replyKey);

    const summary = await h.handler(turn);

    const done = await events.waitFor((event) => event.type === 'DONE', 'DONE');
    expect(summary).toMatchObject({ status: 'STOPPED', deltas: 0 });
    expect(done).toMatchObject({ seq: 1, status: 'STOPPED', stopReason: 'stop_requested' });
    expect(await h.read(turn.replyKey)).toMatchObject({ status: 'STOPPED', content: '', stopReason: 'stop_requested' });
    expect(events.deltas()).toBe('');
  });

  it('writes O(duration / checkpoint interval) times for a 1,000-token reply, not once a delta', async () => {
    const turn = await h.seedTurn({ content: 'Measure me [[standin:tokens=1000]]' });
    const started = Date.now();

    const summary = await h.handler(turn);

    const checkpoints = Math.ceil((Date.now() - started) / 300);
    // claim + checkpoints + message, usage and conversation at the end
    expect(summary.writes).toBeLessThanOrEqual(1 + checkpoints + 3);
    expect(summary.writes).toBeLessThan(summary.deltas);
    expect(summary.publishes).toBe(summary.deltas + 1);
  });
});
