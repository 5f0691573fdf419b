import { describe, expect, it } from '@jest/globals';
import { estimateTokens, HistoryError, selectHistory, type HistoryMessage } from '../../../../functions/chat/history.ts';

const message = (id: string, role: 'USER' | 'ASSISTANT', content: string, status = 'COMPLETE'): HistoryMessage => ({ id, role, content, status });

describe('selectHistory', () => {
  it('estimates a token as four characters, rounded up', () => {
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('keeps the newest messages that fit the budget, oldest first', () => {
    const newestFirst = [message('u3', 'USER', 'x'.repeat(40)), message('a2', 'ASSISTANT', 'x'.repeat(40)), message('u2', 'USER', 'x'.repeat(40)), message('a1', 'ASSISTANT', 'x'.repeat(40))];

    const chosen = selectHistory(newestFirst, 'u3', 30);

    expect(chosen.map((m) => m.id)).toEqual(['u2', 'a2', 'u3']);
  });

  it('always keeps the user message being answered, even over budget', () => {
    const chosen = selectHistory([message('u1', 'USER', 'x'.repeat(400))], 'u1', 10);

    expect(chosen.map((m) => m.id)).toEqual(['u1']);
  });

  it('leaves out replies that did not complete or stop, and empty ones', () => {
    const newestFirst = [
      message('u2', 'USER', 'q'), message('a1', 'ASSISTANT', 'partial', 'ERROR'), message('a0', 'ASSISTANT', '', 'STOPPED'),
      message('s', 'ASSISTANT', 'kept', 'STOPPED'), message('u1', 'USER', 'asked'),
    ];

    const chosen = selectHistory(newestFirst, 'u2', 1000);

    expect(chosen.map((m) => m.id)).toEqual(['u1', 's', 'u2']);
  });

  it('leaves out a user message whose reply failed, with its reply, so user and assistant alternate', () => {
    const newestFirst = [
      message('u3', 'USER', 'third'), message('a2', 'ASSISTANT', 'cut short', 'ERROR'), message('u2', 'USER', 'second'),
      message('a1', 'ASSISTANT', 'first answer'), message('u1', 'USER', 'first'),
    ];

    const chosen = selectHistory(newestFirst, 'u3', 1000);

    expect(chosen.map((m) => m.id)).toEqual(['u1', 'a1', 'u3']);
  });

  it.each([
    ['interrupted', message('a1', 'ASSISTANT', 'some text', 'INTERRUPTED')],
    ['stopped before any text', message('a1', 'ASSISTANT', '', 'STOPPED')],
  ])('leaves out a user message whose reply was %s', (_case, reply) => {
    const chosen = selectHistory([message('u2', 'USER', 'again'), reply, message('u1', 'USER', 'lost')], 'u2', 1000);

    expect(chosen.map((m) => m.id)).toEqual(['u2']);
  });

  it('leaves out an earlier user message that has no reply at all', () => {
    const chosen = selectHistory([message('u2', 'USER', 'now'), message('u1', 'USER', 'before')], 'u2', 1000);

    expect(chosen.map((m) => m.id)).toEqual(['u2']);
  });

  it('keeps a stopped reply with text and the message it answers', () => {
    const chosen = selectHistory([message('u2', 'USER', 'go on'), message('a1', 'ASSISTANT', 'half', 'STOPPED'), message('u1', 'USER', 'tell me')], 'u2', 1000);

    expect(chosen.map((m) => m.id)).toEqual(['u1', 'a1', 'u2']);
  });

  it('counts a kept pair whole: a pair that does not fit ends the history', () => {
    const newestFirst = [message('u3', 'USER', 'x'.repeat(40)), message('a2', 'ASSISTANT', 'x'.repeat(40)), message('u2', 'USER', 'x'.repeat(40)), message('a1', 'ASSISTANT', 'x')];

    const chosen = selectHistory(newestFirst, 'u3', 25);

    expect(chosen.map((m) => m.id)).toEqual(['u3']);
  });

  it('refuses a history whose newest message is not the user message answered', () => {
    expect(() => selectHistory([message('a1', 'ASSISTANT', 'hi')], 'u1', 100)).toThrow(HistoryError);
  });
});
