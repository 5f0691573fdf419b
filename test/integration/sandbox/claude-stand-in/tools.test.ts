// Tool use through the stand-in with the real SDK: `[[standin:tool=...]]` directives answered with tool_use blocks
// (streamed as input_json_delta), the results quoted once every call is answered, and the pairing rules the API keeps.
import { describe, expect, it } from '@jest/globals';
import { BadRequestError, type APIError } from '@anthropic-ai/sdk';
import type { ContentBlock, Message, MessageParam, RawMessageStreamEvent, Tool, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { MODEL, useStandIn } from './stand-in-server.ts';

const WEATHER: Tool = { name: 'get_weather', description: 'The weather in a city.', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };
const TIME: Tool = { name: 'get_time', description: 'The time in a zone.', input_schema: { type: 'object' } };
const ASK = 'What is the weather? [[standin:tool=get_weather {"city":"Paris","tags":["a]]b"]}]]';
const PARAMS = { model: MODEL, max_tokens: 500, tools: [WEATHER, TIME], messages: [{ role: 'user' as const, content: ASK }] };

function toolUseOf(message: Message): ToolUseBlock {
  const block = message.content.find((each): each is ToolUseBlock => each.type === 'tool_use');
  if (!block) throw new Error(`no tool_use in ${JSON.stringify(message.content)}`);
  return block;
}

/** The content with tool ids blanked: two answers to one request differ only there (ids are unique per call). */
function withoutIds(content: ContentBlock[]): unknown {
  return content.map((block) => (block.type === 'tool_use' ? { ...block, id: 'toolu_' } : block));
}

function textOf(message: Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('tool calls in the stand-in', () => {
  const server = useStandIn('all');

  it('answers a tool directive with a short text and a tool_use block of exactly that input, stop_reason tool_use', async () => {
    // Act
    const message = await server().client().messages.create(PARAMS);

    // Assert
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.map((block) => block.type)).toEqual(['text', 'tool_use']);
    expect(message.content[0]).toEqual({ type: 'text', text: 'Let me call get_weather.', citations: null });
    expect(toolUseOf(message)).toEqual({ type: 'tool_use', id: expect.stringMatching(/^toolu_01[0-9A-Za-z]{22}$/) as unknown, name: 'get_weather', input: { city: 'Paris', tags: ['a]]b'] }, caller: { type: 'direct' } });
  });

  it('streams the tool_use block with input: {} at its start and input_json_delta pieces that join to the input JSON', async () => {
    // Act
    const events: RawMessageStreamEvent[] = [];
    for await (const event of await server().client().messages.create({ ...PARAMS, stream: true })) events.push(event);

    // Assert
    const start = events.find((event) => event.type === 'content_block_start' && event.content_block.type === 'tool_use');
    expect(start).toMatchObject({ index: 1, content_block: { type: 'tool_use', name: 'get_weather', input: {} } });
    const json = events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta' ? event.delta.partial_json : '')).join('');
    expect(JSON.parse(json)).toEqual({ city: 'Paris', tags: ['a]]b'] });
    expect(events.filter((event) => event.type === 'content_block_delta' && event.delta.type === 'input_json_delta').every((event) => (event as { index: number }).index === 1)).toBe(true);
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('rebuilds through messages.stream the same message as the non-streaming answer, usage counting the input pieces', async () => {
    // Act
    const streamed = await server().client().messages.stream(PARAMS).finalMessage();
    const whole = await server().client().messages.create(PARAMS);

    // Assert
    expect(withoutIds(streamed.content)).toEqual(withoutIds(whole.content));
    expect(streamed.usage.output_tokens).toBe(whole.usage.output_tokens);
    expect(whole.usage.output_tokens).toBeGreaterThan('Let me call get_weather.'.split(' ').length);
  });

  it('runs a full two-call tool loop: one call an answer in order, then the results quoted verbatim', async () => {
    // Arrange
    const client = server().client();
    const messages: MessageParam[] = [{ role: 'user', content: 'Plan my day [[standin:tool=get_weather {"city":"Oslo"}]] [[standin:tool=get_time {"zone":"CET"}]]' }];
    const outputs: Record<string, MessageParam['content']> = { get_weather: 'Sunny, 21 °C', get_time: [{ type: 'text', text: '09:30' }] };

    // Act
    const names: string[] = [];
    let answer = await client.messages.create({ model: MODEL, max_tokens: 500, tools: [WEATHER, TIME], messages });
    while (answer.stop_reason === 'tool_use') {
      const call = toolUseOf(answer);
      names.push(call.name);
      messages.push({ role: 'assistant', content: answer.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: outputs[call.name] as string }] });
      answer = await client.messages.create({ model: MODEL, max_tokens: 500, tools: [WEATHER, TIME], messages });
    }

    // Assert
    expect(names).toEqual(['get_weather', 'get_time']);
    expect(answer.stop_reason).toBe('end_turn');
    expect(textOf(answer)).toContain('Tool get_weather returned: "Sunny, 21 °C"');
    expect(textOf(answer)).toContain('Tool get_time returned: [{"type":"text","text":"09:30"}]');
  });

  it('says a result was an error when the tool_result has is_error', async () => {
    // Arrange
    const first = await server().client().messages.create(PARAMS);
    const call = toolUseOf(first);

    // Act
    const answer = await server().client().messages.create({ ...PARAMS, messages: [...PARAMS.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'no such city', is_error: true }] }] });

    // Assert
    expect(textOf(answer)).toContain('Tool get_weather failed: "no such city"');
  });

  it('answers in text, without a tool_use, when the directive names a tool the request does not offer', async () => {
    // Act
    const message = await server().client().messages.create({ ...PARAMS, tools: [TIME] });

    // Assert
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content.map((block) => block.type)).toEqual(['text']);
    expect(textOf(message)).toContain('I cannot call the tool get_weather: it is not among the tools of this request.');
  });

  it('calls no tool when tool_choice is none', async () => {
    // Act
    const message = await server().client().messages.create({ ...PARAMS, tool_choice: { type: 'none' } });

    // Assert
    expect(message.stop_reason).toBe('end_turn');
    expect(textOf(message)).toContain('tool_choice is none');
  });

  it('makes the call the whole answer, with no text before it, when tool_choice forces a tool', async () => {
    // Act
    const message = await server().client().messages.create({ ...PARAMS, tool_choice: { type: 'any' } });

    // Assert
    expect(message.content.map((block) => block.type)).toEqual(['tool_use']);
  });

  it('leaves out a call that max_tokens cannot hold, and stops with max_tokens (sandbox\'s reading)', async () => {
    // Act
    const message = await server().client().messages.create({ ...PARAMS, max_tokens: 6 });

    // Assert
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content.map((block) => block.type)).toEqual(['text']);
  });
});

describe('tool use the stand-in refuses', () => {
  const server = useStandIn('all');

  async function rejectionOf(body: Record<string, unknown>): Promise<APIError> {
    try {
      await server().client().post('/v1/messages', { body: { model: MODEL, max_tokens: 100, ...body } });
    } catch (error) {
      return error as APIError;
    }
    throw new Error('the request was accepted');
  }

  const call = { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } };
  const asked = { role: 'user', content: 'Weather?' };

  it.each([
    ['a tool_result answering no tool_use of the message before', [asked, { role: 'assistant', content: [call] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01B', content: 'x' }] }],
      'messages.2.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_01B. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'],
    ['a tool_use left unanswered', [asked, { role: 'assistant', content: [call] }, { role: 'user', content: 'Never mind.' }],
      'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_01A. Each `tool_use` block must have a corresponding `tool_result` block in the next message.'],
    ['a tool_result after text in its message', [asked, { role: 'assistant', content: [call] }, { role: 'user', content: [{ type: 'text', text: 'Here:' }, { type: 'tool_result', tool_use_id: 'toolu_01A', content: 'x' }] }],
      'messages.2: Did not find 1 `tool_result` block(s) at the beginning of this message. Messages following `tool_use` blocks must begin with a matching number of `tool_result` blocks.'],
  ])('refuses %s, with the API\'s message', async (_case, messages, message) => {
    // Act
    const error = await rejectionOf({ tools: [WEATHER], messages });

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message } });
  });

  it.each([
    ['two tools of one name', { tools: [WEATHER, WEATHER] }, 'tools: Tool names must be unique.'],
    ['a tool name with a space (pattern: sandbox\'s reading of the SDK\'s 128-character rule)', { tools: [{ ...WEATHER, name: 'get weather' }] }, "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'"],
    ['an input_schema that is not an object schema (wording: sandbox\'s reading)', { tools: [{ ...WEATHER, input_schema: { type: 'string' } }] }, "tools.0.custom.input_schema.type: Input should be 'object'"],
    ['a tool without input_schema', { tools: [{ name: 'bare' }] }, 'tools.0.custom.input_schema: Field required'],
    ['a tool_choice of an unknown type', { tools: [WEATHER], tool_choice: { type: 'maybe' } }, "tool_choice: Input tag 'maybe' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'"],
    ['a tool_use in a user message (wording: sandbox\'s reading)', { tools: [WEATHER], messages: [{ role: 'user', content: [call] }] }, 'messages.0.content.0: `tool_use` blocks may only be sent in `assistant` messages'],
    ['a tool directive whose input is not a JSON object', { tools: [WEATHER], messages: [{ role: 'user', content: '[[standin:tool=get_weather [1]]]' }] }, 'stand-in directive tool=get_weather: write [[standin:tool=NAME {"json":"object"}]] with a tool name and a JSON object'],
  ])('refuses %s', async (_case, body, message) => {
    // Act
    const error = await rejectionOf({ messages: [asked], ...body });

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toMatchObject({ error: { type: 'invalid_request_error', message } });
  });
});
