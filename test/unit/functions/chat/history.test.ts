import { describe, expect, it } from '@jest/globals';
import { estimateTokens, HistoryError, selectHistory, type HistoryMessage } from '../../../../functions/chat/history.ts';

const message = (id: string, role: 'USER' | 'ASSISTANT', content: string, status = 'COMPLETE'): HistoryMessage => ({ id, role, content, status });

describe('selectHistory', () => {
  it('estimates a token as four characters, rounded up', () => {
    expect(estimateTokens('abcde')).toBe(2);
  });

  it('keeps the newest messages that fit the budget, oldest first', () => {
    const newestFirst = [message('u3', 'USER', 'x'.repeat(40)), message('a2', 'ASSISTANT', 'x'.repeat(40)), message('u2', 'USER', 'x'.repeat(40)), message('a1', 'ASSISTANT', 'x'.repeat(40))];

    const chosen = selectHistory(newestFirst, 'u3', 25);

    expect(chosen.map((m) => m.id)).toEqual(['a2', 'u3']);
  });

  it('always keeps the user message being answered, even over budget', () => {
    const chosen = selectHistory([message('u1', 'USER', 'x'.repeat(400))], 'u1', 10);

    expect(chosen.map((m) => m.id)).toEqual(['u1']);
  });

  it('leaves out replies that did not complete or stop, and empty ones', () => {
    const newestFirst = [message('u2', 'USER', 'q'), message('a1', 'ASSISTANT', 'partial', 'ERROR'), message('a0', 'ASSISTANT', '', 'STOPPED'), message('s', 'ASSISTANT', 'kept', 'STOPPED')];

    const chosen = selectHistory(newestFirst, 'u2', 1000);

    expect(chosen.map((m) => m.id)).toEqual(['s', 'u2']);
  });

  it('refuses a history whose newest message is not the user message answered', () => {
    expect(() => selectHistory([message('a1', 'ASSISTANT', 'hi')], 'u1', 100)).toThrow(HistoryError);
  });
});
