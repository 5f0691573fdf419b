import { describe, expect, it } from '@jest/globals';
import { Coalescer, type Timers } from '../../../../functions/chat/coalescer.ts';

/** A hand-moved clock: timers fire only when `advance` passes them. */
function manualTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let next = 0;
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      next += 1;
      timers.push({ at: now + ms, callback, id: next });
      return next;
    },
    clearTimeout: (handle) => { timers = timers.filter((timer) => timer.id !== handle); },
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
  };
}

function setup(maxChars = 1000): { coalescer: Coalescer; flushed: string[]; timers: ReturnType<typeof manualTimers> } {
  const timers = manualTimers();
  const flushed: string[] = [];
  const coalescer = new Coalescer({ flushMs: 100, maxChars, onFlush: (text) => flushed.push(text), timers });
  return { coalescer, flushed, timers };
}

/** As setup, with each flush's block recorded. */
function setupBlocks(): { coalescer: Coalescer; flushed: { text: string; index: number; type: string }[]; timers: ReturnType<typeof manualTimers> } {
  const timers = manualTimers();
  const flushed: { text: string; index: number; type: string }[] = [];
  const coalescer = new Coalescer({ flushMs: 100, maxChars: 1000, onFlush: (text, block) => flushed.push({ text, ...block }), timers });
  return { coalescer, flushed, timers };
}

describe('Coalescer', () => {
  it('flushes the first delta at once', () => {
    const { coalescer, flushed } = setup();

    coalescer.push('Hello');

    expect(flushed).toEqual(['Hello']);
  });

  it('holds later deltas until flushMs after the previous flush', () => {
    const { coalescer, flushed, timers } = setup();
    coalescer.push('a');

    coalescer.push('b');
    coalescer.push('c');
    timers.advance(99);
    const before = [...flushed];
    timers.advance(1);

    expect(before).toEqual(['a']);
    expect(flushed).toEqual(['a', 'bc']);
  });

  it('flushes as soon as a batch reaches maxChars', () => {
    const { coalescer, flushed } = setup(4);
    coalescer.push('a');

    coalescer.push('bc');
    coalescer.push('de');

    expect(flushed).toEqual(['a', 'bcde']);
  });

  it('flushes what is buffered on demand and then has nothing left for the timer', () => {
    const { coalescer, flushed, timers } = setup();
    coalescer.push('a');
    coalescer.push('b');

    coalescer.flush();
    timers.advance(500);

    expect(flushed).toEqual(['a', 'b']);
    expect(coalescer.flushes).toBe(2);
  });

  it('ignores empty deltas', () => {
    const { coalescer, flushed } = setup();

    coalescer.push('');

    expect(flushed).toEqual([]);
  });
});

describe('Coalescer while the publisher is behind', () => {
  it('holds a due batch until the publisher catches up, then sends what gathered as one', () => {
    // Arrange: the publisher is busy after the first batch.
    const timers = manualTimers();
    const flushed: string[] = [];
    let busy = false;
    const coalescer = new Coalescer({ flushMs: 100, maxChars: 1000, onFlush: (text) => flushed.push(text), ready: () => !busy, timers });
    coalescer.push('a');
    busy = true;

    // Act: two flush periods pass while it is busy, then it catches up.
    coalescer.push('b');
    timers.advance(100);
    coalescer.push('c');
    timers.advance(100);
    const whileBusy = [...flushed];
    busy = false;
    coalescer.resume();

    // Assert
    expect(whileBusy).toEqual(['a']);
    expect(flushed).toEqual(['a', 'bc']);
  });

  it('does nothing on resume when no batch waited', () => {
    const { coalescer, flushed } = setup();
    coalescer.push('a');

    coalescer.resume();

    expect(flushed).toEqual(['a']);
  });

  it('flushes the first text of a new block at once, then batches that block again', () => {
    const { coalescer, flushed, timers } = setupBlocks();
    coalescer.push('Let me', { index: 0, type: 'THINKING' });
    coalescer.push(' think', { index: 0, type: 'THINKING' });
    timers.advance(30);

    coalescer.push('The answer', { index: 1, type: 'TEXT' });
    const atSwitch = [...flushed];
    coalescer.push(' is', { index: 1, type: 'TEXT' });
    timers.advance(99);
    const beforeDue = [...flushed];
    timers.advance(1);

    expect(atSwitch).toEqual([
      { text: 'Let me', index: 0, type: 'THINKING' },
      { text: ' think', index: 0, type: 'THINKING' },
      { text: 'The answer', index: 1, type: 'TEXT' },
    ]);
    expect(beforeDue).toEqual(atSwitch);
    expect(flushed.at(-1)).toEqual({ text: ' is', index: 1, type: 'TEXT' });
  });

  it('batches thinking like text, and flushes a block before text for the next one', () => {
    const { coalescer, flushed, timers } = setupBlocks();

    coalescer.push('Let me', { index: 0, type: 'THINKING' });
    coalescer.push(' think', { index: 0, type: 'THINKING' });
    coalescer.push(' about', { index: 0, type: 'THINKING' });
    coalescer.push('The answer', { index: 1, type: 'TEXT' });
    timers.advance(100);

    expect(flushed).toEqual([
      { text: 'Let me', index: 0, type: 'THINKING' },
      { text: ' think about', index: 0, type: 'THINKING' },
      { text: 'The answer', index: 1, type: 'TEXT' },
    ]);
  });
});
