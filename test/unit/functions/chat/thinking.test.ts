import { describe, expect, it } from '@jest/globals';
import { thinkingFor } from '../../../../functions/chat/tool-loop.ts';

describe('thinkingFor', () => {
  it('is off when the conversation has no budget', () => {
    expect(thinkingFor(undefined, 4096)).toBeUndefined();
  });

  it('gives the conversation\'s budget when it fits below max_tokens', () => {
    expect(thinkingFor(2048, 4096)).toEqual({ type: 'enabled', budget_tokens: 2048 });
  });

  it('lowers the budget below what is left of max_tokens in a tool loop', () => {
    expect(thinkingFor(3000, 2000)).toEqual({ type: 'enabled', budget_tokens: 1999 });
  });

  it('is off when no budget of at least 1024 fits, as the Messages API requires', () => {
    expect(thinkingFor(2048, 1024)).toBeUndefined();
  });
});
