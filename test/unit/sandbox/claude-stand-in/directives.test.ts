// The stand-in's directives and scripted tool steps, read from a validated request without a server.
import { describe, expect, it } from '@jest/globals';
import { directivesOf } from '../../../../sandbox/claude-stand-in/reply-text.ts';
import { nextToolStep } from '../../../../sandbox/claude-stand-in/tool-calls.ts';
import { validateMessageRequest } from '../../../../sandbox/claude-stand-in/validate.ts';

const TOOLS = [{ name: 'a', input_schema: { type: 'object' } }, { name: 'b', input_schema: { type: 'object' } }];

function request(messages: unknown[], extra: Record<string, unknown> = {}): ReturnType<typeof validateMessageRequest> {
  return validateMessageRequest({ model: 'claude-sonnet-4-6', max_tokens: 100, tools: TOOLS, messages, ...extra });
}

describe('stand-in directives', () => {
  it('reads tool directives in order, with JSON inputs holding brackets, next to the other directives', () => {
    // Act
    const directives = directivesOf(request([{ role: 'user', content: 'x [[standin:tool=a {"k":[[1]],"s":"]]"}]] [[standin:think tokens=5]] [[standin:tool=b]]' }]));

    // Assert
    expect(directives).toEqual({ tools: [{ name: 'a', input: { k: [[1]], s: ']]' } }, { name: 'b', input: {} }], think: true, tokens: 5 });
  });

  it('reads the directives of the last user message with text, past the tool results after it', () => {
    // Arrange
    const messages = [
      { role: 'user', content: '[[standin:tool=a]] [[standin:tool=b]]' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'a', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'one' }] },
    ];

    // Act
    const step = nextToolStep(request(messages), directivesOf(request(messages)).tools);

    // Assert
    expect(step).toEqual({ kind: 'call', call: { name: 'b', input: {} } });
  });

  it('quotes every result once each directive was answered', () => {
    // Arrange
    const messages = [
      { role: 'user', content: '[[standin:tool=a]]' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'a', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] },
    ];

    // Act
    const step = nextToolStep(request(messages), directivesOf(request(messages)).tools);

    // Assert
    expect(step).toEqual({ kind: 'results', results: [{ name: 'a', content: '', isError: false }] });
  });

  it('does nothing about tools without a directive', () => {
    // Act
    const step = nextToolStep(request([{ role: 'user', content: 'Hello' }]), []);

    // Assert
    expect(step).toEqual({ kind: 'none' });
  });
});
