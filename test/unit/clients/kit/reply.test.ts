// The reply assembler driven by recorded event sequences: in order, out of order, duplicated, with a gap filled by a
// re-read, joined mid-reply from a getMessage snapshot, every block type, and the final events.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { ReplyAssembler, textOf, type ReplyEventInput, type ReplySnapshot } from '../../../../clients/kit/index.ts';

const ID = 'r1';
const start: ReplySnapshot = { id: ID, content: '', blocks: [], seq: 0, status: 'PENDING' };
const usage = { inputTokens: 12, outputTokens: 34, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
const citation = { type: 'char_location', citedText: 'the sea is blue', documentIndex: 0, documentTitle: 'Sea', start: 0, end: 15 };

/** A reply as the chat function publishes it (docs/architecture.md, "Content blocks"): thinking, a tool call and its result, two text blocks with a citation, a title, DONE. */
const RECORDED: ReplyEventInput[] = [
  { messageId: ID, seq: 1, type: 'THINKING_DELTA', index: 0, text: 'The user asks about ' },
  { messageId: ID, seq: 2, type: 'THINKING_DELTA', index: 0, text: 'the sea.' },
  { messageId: ID, seq: 3, type: 'TITLE', title: 'The sea' },
  { messageId: ID, seq: 4, type: 'DELTA', index: 1, text: 'Let me look ' },
  { messageId: ID, seq: 5, type: 'DELTA', index: 1, text: 'that up.' },
  { messageId: ID, seq: 6, type: 'TOOL_USE', block: { index: 2, type: 'TOOL_USE', toolUseId: 't1', name: 'search', input: '{"q":"sea"}', status: 'RUNNING' } },
  { messageId: ID, seq: 7, type: 'TOOL_RESULT', block: { index: 3, type: 'TOOL_RESULT', toolUseId: 't1', output: '{"hits":1}', isError: false } },
  { messageId: ID, seq: 8, type: 'DELTA', index: 4, text: 'The sea is blue' },
  { messageId: ID, seq: 9, type: 'CITATION', index: 4, citation },
  { messageId: ID, seq: 10, type: 'DELTA', index: 4, text: '.' },
  { messageId: ID, seq: 11, type: 'DONE', status: 'COMPLETE', stopReason: 'end_turn', usage },
];
const FINAL_TEXT = 'Let me look that up.\n\nThe sea is blue.';

/** The stored message after the first `seq` events: what getMessage returns at that checkpoint. */
function storedAt(seq: number): ReplySnapshot {
  const replay = new ReplyAssembler(start);
  for (const event of RECORDED.slice(0, seq)) replay.receive(event);
  const { blocks, status, usage: used, stopReason, error } = replay.state;
  return { id: ID, content: textOf(blocks), blocks, seq, status, usage: used, stopReason, error };
}

const delta = (seq: number, text: string, index = 0): ReplyEventInput => ({ messageId: ID, seq, type: 'DELTA', index, text });

afterEach(() => {
  jest.useRealTimers();
});

describe('a reply assembled from its events', () => {
  it('builds every block type and ends COMPLETE with the usage and stop reason of DONE', () => {
    const reply = new ReplyAssembler(start);

    for (const event of RECORDED) reply.receive(event);

    expect(reply.state).toMatchObject({ status: 'COMPLETE', final: true, text: FINAL_TEXT, usage, stopReason: 'end_turn', error: null, title: 'The sea', seq: 11 });
    expect(reply.state.blocks.map((b) => [b.index, b.type])).toEqual([[0, 'THINKING'], [1, 'TEXT'], [2, 'TOOL_USE'], [3, 'TOOL_RESULT'], [4, 'TEXT']]);
    expect(reply.state.blocks[0]?.text).toBe('The user asks about the sea.');
    expect(reply.state.blocks[2]).toMatchObject({ toolUseId: 't1', name: 'search', input: '{"q":"sea"}', status: 'COMPLETE' });
    expect(reply.state.blocks[3]).toMatchObject({ toolUseId: 't1', output: '{"hits":1}', isError: false });
    expect(reply.state.blocks[4]?.citations).toEqual([citation]);
  });

  it('keeps its text equal to the stored content at every seq', () => {
    const reply = new ReplyAssembler(start);

    const texts = RECORDED.map((event) => {
      reply.receive(event);
      return reply.state.text;
    });

    expect(texts).toEqual(RECORDED.map((event) => storedAt(event.seq).content));
  });

  it('is STREAMING from its first block event, and a tool call is RUNNING until its result', () => {
    const reply = new ReplyAssembler(start);

    for (const event of RECORDED.slice(0, 6)) reply.receive(event);

    expect(reply.state.status).toBe('STREAMING');
    expect(reply.state.blocks.find((b) => b.type === 'TOOL_USE')?.status).toBe('RUNNING');
  });

  it('marks a tool call ERROR when its result is an error, RUNNING when published without a status', () => {
    const reply = new ReplyAssembler(start);
    reply.receive({ messageId: ID, seq: 1, type: 'TOOL_USE', block: { index: 0, type: 'TOOL_USE', toolUseId: 't', name: 'fetch', input: '{}' } });
    const running = reply.state.blocks[0]?.status;

    reply.receive({ messageId: ID, seq: 2, type: 'TOOL_RESULT', block: { index: 1, type: 'TOOL_RESULT', toolUseId: 't', output: '"timed out"', isError: true } });

    expect(running).toBe('RUNNING');
    expect(reply.state.blocks[0]?.status).toBe('ERROR');
  });

  it('ends ERROR with the reason, keeping the text so far', () => {
    const reply = new ReplyAssembler(start);

    reply.receive(delta(1, 'Half a'));
    reply.receive({ messageId: ID, seq: 2, type: 'ERROR', status: 'ERROR', error: 'the model is overloaded', usage });

    expect(reply.state).toMatchObject({ status: 'ERROR', final: true, text: 'Half a', error: 'the model is overloaded', usage });
  });

  it('ends STOPPED on a DONE that says so, and ignores anything after the end', () => {
    const changes: string[] = [];
    const reply = new ReplyAssembler(start, { onChange: (state) => changes.push(state.status) });

    reply.receive(delta(1, 'Stop'));
    reply.receive({ messageId: ID, seq: 2, type: 'DONE', status: 'STOPPED', stopReason: 'stop_requested' });
    const late = reply.receive(delta(3, ' here'));

    expect(reply.state).toMatchObject({ status: 'STOPPED', stopReason: 'stop_requested', text: 'Stop' });
    expect(late).toEqual({ changed: false, reread: false });
    expect(changes).toEqual(['STREAMING', 'STOPPED']);
  });

  it('takes COMPLETE and ERROR when the final events carry no status', () => {
    const done = new ReplyAssembler(start);
    const failed = new ReplyAssembler(start);

    done.receive({ messageId: ID, seq: 1, type: 'DONE' });
    failed.receive({ messageId: ID, seq: 1, type: 'ERROR' });

    expect([done.state.status, failed.state.status]).toEqual(['COMPLETE', 'ERROR']);
  });
});

describe('ordering', () => {
  it('applies events in seq order whatever order they arrive in', () => {
    const reply = new ReplyAssembler(start);
    const shuffled = [RECORDED[4], RECORDED[1], RECORDED[0], RECORDED[3], RECORDED[2]] as ReplyEventInput[];

    const results = shuffled.map((event) => reply.receive(event));

    expect(results.map((r) => r.changed)).toEqual([false, false, true, false, true]);
    expect(reply.state).toMatchObject({ seq: 5, text: 'Let me look that up.', title: 'The sea' });
  });

  it('applies a duplicated event once, whether it was applied or is still waiting', () => {
    const reply = new ReplyAssembler(start);

    for (const event of [delta(1, 'a'), delta(1, 'a'), delta(3, 'c'), delta(3, 'c'), delta(2, 'b'), delta(2, 'b')]) reply.receive(event);

    expect(reply.state.text).toBe('abc');
  });

  it('counts the seq of an event type it does not know, and applies the events after it', () => {
    const reply = new ReplyAssembler(start);

    for (const event of [delta(1, 'a'), { messageId: ID, seq: 2, type: 'SOMETHING_NEW' } as unknown as ReplyEventInput, delta(3, 'b')]) reply.receive(event);

    expect(reply.state).toMatchObject({ seq: 3, text: 'ab' });
  });

  it('ignores other replies\' events', () => {
    const reply = new ReplyAssembler(start);

    const result = reply.receive({ ...delta(1, 'not mine'), messageId: 'other' });

    expect(result).toEqual({ changed: false, reread: false });
    expect(reply.state.text).toBe('');
  });

  it('starts a new TEXT block at a new index, joined to the others by a blank line', () => {
    const reply = new ReplyAssembler(start);

    for (const event of [delta(1, 'One', 0), delta(2, 'Two', 2), delta(3, '!', 0)]) reply.receive(event);

    expect(reply.state.text).toBe('One!\n\nTwo');
  });

  it('leaves a block of another type as it is when a delta names its index', () => {
    const reply = new ReplyAssembler(start);

    reply.receive({ messageId: ID, seq: 1, type: 'THINKING_DELTA', index: 0, text: 'hmm' });
    reply.receive(delta(2, 'text', 0));
    reply.receive({ messageId: ID, seq: 3, type: 'CITATION', index: 0, citation });

    expect(reply.state.blocks).toEqual([expect.objectContaining({ index: 0, type: 'THINKING', text: 'hmm', citations: null })]);
    expect(reply.state.seq).toBe(3);
  });
});

describe('joining mid-reply', () => {
  it('starts from a getMessage snapshot and applies only higher seqs', () => {
    const reply = new ReplyAssembler(storedAt(6));

    for (const event of RECORDED) reply.receive(event);

    expect(reply.state).toMatchObject({ status: 'COMPLETE', text: FINAL_TEXT, seq: 11 });
    expect(reply.state.blocks[0]?.text).toBe('The user asks about the sea.');
  });

  it('reads a text-only snapshot (no blocks selected) as one TEXT block', () => {
    const reply = new ReplyAssembler({ id: ID, content: 'Hello', seq: 2, status: 'STREAMING' });

    reply.receive(delta(3, ', world'));

    expect(reply.state.text).toBe('Hello, world');
  });

  it('is final at once for a message read COMPLETE, and takes no event', () => {
    const reply = new ReplyAssembler(storedAt(11));

    const result = reply.receive(delta(12, 'more'));

    expect(reply.state).toMatchObject({ final: true, status: 'COMPLETE', text: FINAL_TEXT, usage });
    expect(result.changed).toBe(false);
  });
});

describe('a gap', () => {
  it('asks for a re-read when an event is more than maxAhead past the last applied, then resumes from the stored message', () => {
    const rereads: number[] = [];
    const reply = new ReplyAssembler(start, { maxAhead: 3, onReread: () => rereads.push(reply.state.seq) });
    reply.receive(RECORDED[0] as ReplyEventInput);

    const near = reply.receive(RECORDED[3] as ReplyEventInput);
    const far = reply.receive(RECORDED[6] as ReplyEventInput);
    const again = reply.receive(RECORDED[7] as ReplyEventInput);
    const resumed = reply.resume(storedAt(5));

    expect([near.reread, far.reread, again.reread]).toEqual([false, true, false]);
    expect(rereads).toEqual([1]);
    expect(resumed).toBe(true);
    expect(reply.state).toMatchObject({ seq: 5, text: 'Let me look that up.' });
    for (const event of RECORDED.slice(8)) reply.receive(event);
    expect(reply.state.seq).toBe(5);
    reply.receive(RECORDED[5] as ReplyEventInput);
    expect(reply.state).toMatchObject({ seq: 11, text: FINAL_TEXT, status: 'COMPLETE' });
  });

  it('asks at once when a final event waits behind a gap, and ends with the stored final message', () => {
    const reply = new ReplyAssembler(start);
    reply.receive(delta(1, 'a'));

    const result = reply.receive({ messageId: ID, seq: 4, type: 'DONE', status: 'COMPLETE', usage });
    reply.resume({ id: ID, content: 'abcd', seq: 4, status: 'COMPLETE', usage, stopReason: 'end_turn' });

    expect(result.reread).toBe(true);
    expect(reply.state).toMatchObject({ final: true, status: 'COMPLETE', text: 'abcd', stopReason: 'end_turn' });
  });

  it('asks after gapTimeoutMs when a small gap stays open, and again while the stored message is behind', () => {
    jest.useFakeTimers();
    let rereads = 0;
    const reply = new ReplyAssembler(start, { gapTimeoutMs: 3_000, onReread: () => (rereads += 1) });
    reply.receive(delta(1, 'a'));
    reply.receive(delta(3, 'c'));

    jest.advanceTimersByTime(2_999);
    const before = rereads;
    jest.advanceTimersByTime(1);
    reply.resume({ id: ID, content: 'a', seq: 1, status: 'STREAMING' });
    jest.advanceTimersByTime(3_000);
    reply.resume({ id: ID, content: 'ab', seq: 2, status: 'STREAMING' });
    jest.advanceTimersByTime(10_000);

    expect([before, rereads]).toEqual([0, 2]);
    expect(reply.state.text).toBe('abc');
  });

  it('asks no more once the gap is filled by the late event itself', () => {
    jest.useFakeTimers();
    let rereads = 0;
    const reply = new ReplyAssembler(start, { onReread: () => (rereads += 1) });
    reply.receive(delta(2, 'b'));

    reply.receive(delta(1, 'a'));
    jest.advanceTimersByTime(60_000);

    expect(rereads).toBe(0);
    expect(reply.state.text).toBe('ab');
  });

  it('ignores a stored message older than what was applied, and one of another reply', () => {
    const reply = new ReplyAssembler(start);
    reply.receive(delta(1, 'a'));
    reply.receive(delta(2, 'b'));

    const older = reply.resume({ id: ID, content: 'a', seq: 1, status: 'STREAMING' });
    const other = reply.resume({ id: 'other', content: 'zzz', seq: 9, status: 'COMPLETE' });

    expect([older, other]).toEqual([false, false]);
    expect(reply.state).toMatchObject({ text: 'ab', seq: 2, status: 'STREAMING' });
  });

  it('takes INTERRUPTED from a re-read even at its own seq: no event will say a reply died', () => {
    const reply = new ReplyAssembler(start);
    reply.receive(delta(1, 'a'));

    reply.resume({ id: ID, content: 'a', seq: 1, status: 'INTERRUPTED', error: 'the reply stopped being written' });

    expect(reply.state).toMatchObject({ final: true, status: 'INTERRUPTED', text: 'a', error: 'the reply stopped being written' });
  });

  it('stops its timer when disposed', () => {
    jest.useFakeTimers();
    let rereads = 0;
    const reply = new ReplyAssembler(start, { onReread: () => (rereads += 1) });
    reply.receive(delta(2, 'b'));

    reply.dispose();
    jest.advanceTimersByTime(60_000);

    expect(rereads).toBe(0);
  });
});
