// Extended thinking through the stand-in with the real SDK: `[[standin:think]]` answered with a signed thinking block
// (thinking_delta pieces, then one signature_delta), the signatures checked when thinking comes back, and the rules on
// the budget and on a tool loop's opening thinking block.
import { describe, expect, it } from '@jest/globals';
import { BadRequestError, type APIError } from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming, RawMessageStreamEvent, ThinkingBlock, Tool, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { MODEL, useStandIn } from './stand-in-server.ts';

const THINKING = { type: 'enabled' as const, budget_tokens: 1024 };
const PARAMS: MessageCreateParamsNonStreaming = { model: MODEL, max_tokens: 2000, thinking: THINKING, messages: [{ role: 'user', content: 'Think first [[standin:think]]' }] };
const LOOKUP: Tool = { name: 'lookup', input_schema: { type: 'object' } };

function thinkingOf(message: Message): ThinkingBlock {
  const block = message.content[0];
  if (block?.type !== 'thinking') throw new Error(`the answer does not open with thinking: ${JSON.stringify(message.content)}`);
  return block;
}

describe('thinking in the stand-in', () => {
  const server = useStandIn('all');

  it('opens the answer with a signed thinking block, then the text', async () => {
    // Act
    const message = await server().client().messages.create(PARAMS);

    // Assert
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(thinkingOf(message).thinking).toMatch(/^Let me think about this request\./);
    expect(thinkingOf(message).signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('streams thinking_delta pieces and one signature_delta at index 0, the text at index 1', async () => {
    // Act
    const events: RawMessageStreamEvent[] = [];
    for await (const event of await server().client().messages.create({ ...PARAMS, stream: true })) events.push(event);

    // Assert
    const deltas = events.flatMap((event) => (event.type === 'content_block_delta' ? [`${event.index}:${event.delta.type}`] : []));
    const thinking = deltas.filter((delta) => delta.startsWith('0:'));
    expect(thinking.slice(0, -1).every((delta) => delta === '0:thinking_delta')).toBe(true);
    expect(thinking.at(-1)).toBe('0:signature_delta');
    expect(deltas.filter((delta) => delta.startsWith('1:')).every((delta) => delta === '1:text_delta')).toBe(true);
    expect(events.find((event) => event.type === 'content_block_start')).toMatchObject({ index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
  });

  it('rebuilds through messages.stream the same message as the non-streaming answer, signature included', async () => {
    // Act
    const streamed = await server().client().messages.stream(PARAMS).finalMessage();
    const whole = await server().client().messages.create(PARAMS);

    // Assert
    expect(streamed.content).toEqual(whole.content);
    expect(streamed.usage.output_tokens).toBe(whole.usage.output_tokens);
  });

  it('counts the thinking pieces in output_tokens', async () => {
    // Act
    const withThinking = await server().client().messages.create(PARAMS);
    const without = await server().client().messages.create({ ...PARAMS, thinking: { type: 'disabled' } });

    // Assert
    expect(withThinking.content.slice(1)).toEqual(without.content);
    expect(withThinking.usage.output_tokens).toBeGreaterThan(without.usage.output_tokens + 10);
  });

  it('ignores the directive when the request does not enable thinking', async () => {
    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 2000, messages: PARAMS.messages });

    // Assert
    expect(message.content.map((block) => block.type)).toEqual(['text']);
  });

  it('writes no thinking block without the directive, even with thinking enabled', async () => {
    // Act
    const message = await server().client().messages.create({ ...PARAMS, messages: [{ role: 'user', content: 'No directive here' }] });

    // Assert
    expect(message.content.map((block) => block.type)).toEqual(['text']);
  });

  it('accepts its own thinking block sent back in the next turn', async () => {
    // Arrange
    const first = await server().client().messages.create(PARAMS);

    // Act
    const next = await server().client().messages.create({ ...PARAMS, messages: [...PARAMS.messages, { role: 'assistant', content: first.content }, { role: 'user', content: 'And then?' }] });

    // Assert
    expect(next.type).toBe('message');
  });

  it('thinks before a tool call with thinking enabled, and the loop goes on with the thinking block sent back', async () => {
    // Arrange
    const ask = { ...PARAMS, tools: [LOOKUP], messages: [{ role: 'user' as const, content: 'Look it up [[standin:tool=lookup {"q":"x"}]]' }] };
    const first = await server().client().messages.create(ask);
    const call = first.content.find((block): block is ToolUseBlock => block.type === 'tool_use');

    // Act
    const second = await server().client().messages.create({ ...ask, messages: [...ask.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call?.id ?? '', content: 'found' }] }] });

    // Assert
    expect(first.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(second.content.map((block) => block.type)).toEqual(['text']);
    expect(second.content[0]).toMatchObject({ text: expect.stringContaining('Tool lookup returned: "found"') as unknown });
  });
});

describe('thinking the stand-in refuses', () => {
  const server = useStandIn('all');

  async function rejectionOf(body: Record<string, unknown>): Promise<APIError> {
    try {
      await server().client().post('/v1/messages', { body: { model: MODEL, max_tokens: 2000, thinking: THINKING, messages: PARAMS.messages, ...body } });
    } catch (error) {
      return error as APIError;
    }
    throw new Error('the request was accepted');
  }

  it('refuses a thinking block whose text was changed after signing', async () => {
    // Arrange
    const first = await server().client().messages.create(PARAMS);
    const edited = { ...thinkingOf(first), thinking: `${thinkingOf(first).thinking} (edited)` };

    // Act
    const error = await rejectionOf({ messages: [...PARAMS.messages, { role: 'assistant', content: [edited, ...first.content.slice(1)] }, { role: 'user', content: 'Next' }] });

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toMatchObject({ error: { type: 'invalid_request_error', message: 'messages.1.content.0: Invalid `signature` in `thinking` block' } });
  });

  it('refuses a thinking block signed by another start of the stand-in', async () => {
    // Arrange
    const first = await server().client().messages.create(PARAMS);
    server().replace({});

    // Act
    const error = await rejectionOf({ messages: [...PARAMS.messages, { role: 'assistant', content: first.content }, { role: 'user', content: 'Next' }] });

    // Assert
    expect(error.error).toMatchObject({ error: { message: 'messages.1.content.0: Invalid `signature` in `thinking` block' } });
  });

  it.each([
    ['a budget under 1024', { thinking: { type: 'enabled', budget_tokens: 1000 } }, 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024'],
    ['a budget not under max_tokens', { max_tokens: 1500, thinking: { type: 'enabled', budget_tokens: 1500 } }, '`max_tokens` must be greater than `thinking.budget_tokens`.'],
    ['a budget missing', { thinking: { type: 'enabled' } }, 'thinking.enabled.budget_tokens: Field required'],
    ['thinking with a forced tool choice (wording: recalled, unsure)', { tools: [LOOKUP], tool_choice: { type: 'any' } }, 'Thinking may not be enabled when tool_choice forces tool use.'],
  ])('refuses %s', async (_case, body, message) => {
    // Act
    const error = await rejectionOf(body);

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toMatchObject({ error: { type: 'invalid_request_error', message } });
  });

  it('refuses a tool loop whose assistant turn does not open with thinking, in the API\'s words', async () => {
    // Arrange
    const messages = [
      { role: 'user', content: 'Look it up' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'lookup', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: 'found' }] },
    ];

    // Act
    const error = await rejectionOf({ tools: [LOOKUP], messages });

    // Assert
    expect(error.error).toMatchObject({ error: { message: expect.stringMatching(/^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`\. When `thinking` is enabled, a final `assistant` message must start with a thinking block/) as unknown } });
  });

  it('refuses thinking in a final assistant message when thinking is disabled', async () => {
    // Arrange
    const first = await server().client().messages.create(PARAMS);

    // Act
    const error = await rejectionOf({ thinking: { type: 'disabled' }, messages: [...PARAMS.messages, { role: 'assistant', content: [thinkingOf(first)] }] });

    // Assert
    expect(error.error).toMatchObject({ error: { message: 'messages.1.content.0: When thinking is disabled, an `assistant` message in the final position cannot contain `thinking`. To use thinking blocks, enable `thinking` in your request.' } });
  });
});
