import { describe, expect, it } from '@jest/globals';
import type { HistoryMessage } from '../../../../functions/chat/history.ts';
import { buildPrompt, toTurns } from '../../../../functions/chat/prompt.ts';

const m = (role: 'USER' | 'ASSISTANT', content: string): HistoryMessage => ({ id: content, role, content });

describe('buildPrompt', () => {
  it('puts a breakpoint on the system prompt', () => {
    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: 'Be brief.', history: [m('USER', 'hi')] });

    expect(request.system).toEqual([{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }]);
  });

  it('puts a breakpoint on the last message of the previous turn and none on the current one', () => {
    const request = buildPrompt({ model: 'm', maxTokens: 10, systemPrompt: null, history: [m('USER', 'q1'), m('ASSISTANT', 'a1'), m('USER', 'q2')] });

    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'q1' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'a1', cache_control: { type: 'ephemeral' } }] },
      { role: 'user', content: [{ type: 'text', text: 'q2' }] },
    ]);
    expect(request.system).toBeUndefined();
  });

  it('merges consecutive messages of one role and drops a leading assistant message', () => {
    const turns = toTurns([m('ASSISTANT', 'orphan'), m('USER', 'q1'), m('USER', 'q2')]);

    expect(turns).toEqual([{ role: 'user', blocks: [{ type: 'text', text: 'q1' }, { type: 'text', text: 'q2' }] }]);
  });
});
