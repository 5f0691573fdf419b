// Thinking and tool use on the Bedrock routes, through the real @anthropic-ai/bedrock-sdk: the same blocks as the
// Anthropic route (one generator), framed as event stream chunks, and a tool loop round whose thinking comes back.
import { describe, expect, it } from '@jest/globals';
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { BadRequestError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, RawMessageStreamEvent, ToolUseBlock } from '@anthropic-ai/sdk/resources/messages';
import { useStandIn } from './stand-in-server.ts';
import { failureOf } from '../../../support/failure.ts';

const PRINCIPAL = { accessKeyId: 'AKIASANDBOXBLOCKS', secretAccessKey: 'bedrock-secret', accountId: '000000000000', userArn: 'arn:aws:sts::000000000000:assumed-role/r/s', username: 'AROA:s' };
const PARAMS: MessageCreateParamsNonStreaming = {
  model: 'us.anthropic.claude-sonnet-4-6',
  max_tokens: 2000,
  thinking: { type: 'enabled', budget_tokens: 1024 },
  tools: [{ name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }],
  messages: [{ role: 'user', content: 'Find it [[standin:think]] [[standin:tool=lookup {"q":"penguins"}]]' }],
};

const server = useStandIn('all', { iamPrincipals: [PRINCIPAL] });

function client(): AnthropicBedrock {
  return new AnthropicBedrock({
    baseURL: `${server().baseURL}/bedrock`, awsRegion: 'us-east-1', apiKey: null, maxRetries: 0,
    awsAccessKey: PRINCIPAL.accessKeyId, awsSecretKey: PRINCIPAL.secretAccessKey, awsSessionToken: 'session',
  });
}

describe('thinking and tool use on Bedrock in the stand-in', () => {
  it('answers InvokeModel with thinking, text and a tool_use, stop_reason tool_use', async () => {
    // Act
    const message = await client().messages.create(PARAMS);

    // Assert
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[2]).toMatchObject({ name: 'lookup', input: { q: 'penguins' } });
    expect(message.stop_reason).toBe('tool_use');
  });

  it('streams the same blocks as event stream chunks: thinking and signature deltas, then input_json_delta', async () => {
    // Act
    const events: RawMessageStreamEvent[] = [];
    for await (const event of await client().messages.create({ ...PARAMS, stream: true })) events.push(event);

    // Assert
    const kinds = [...new Set(events.flatMap((event) => (event.type === 'content_block_delta' ? [`${event.index}:${event.delta.type}`] : [])))];
    expect(kinds).toEqual(['0:thinking_delta', '0:signature_delta', '1:text_delta', '2:input_json_delta']);
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('rebuilds through messages.stream the same message as InvokeModel, tool id aside', async () => {
    // Act
    const streamed = await client().messages.stream(PARAMS).finalMessage();
    const whole = await client().messages.create(PARAMS);

    // Assert
    const blank = (message: typeof whole): unknown => message.content.map((block) => (block.type === 'tool_use' ? { ...block, id: '' } : block));
    expect(blank(streamed)).toEqual(blank(whole));
  });

  it('takes the thinking block back with the tool result and quotes the result', async () => {
    // Arrange
    const first = await client().messages.create(PARAMS);
    const call = first.content.find((block): block is ToolUseBlock => block.type === 'tool_use');

    // Act
    const second = await client().messages.create({ ...PARAMS, messages: [...PARAMS.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call?.id ?? '', content: 'found 3' }] }] });

    // Assert
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('Tool lookup returned: "found 3"') as unknown });
  });

  it('refuses a forged thinking signature as a ValidationException carrying the API\'s message', async () => {
    // Arrange
    const first = await client().messages.create(PARAMS);
    const call = first.content.find((block): block is ToolUseBlock => block.type === 'tool_use');
    const forged = first.content.map((block) => (block.type === 'thinking' ? { ...block, signature: 'Zm9yZ2Vk' } : block));

    // Act
    const error = await failureOf(client().messages.create({ ...PARAMS, messages: [...PARAMS.messages, { role: 'assistant', content: forged }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call?.id ?? '', content: 'x' }] }] }));

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).headers?.get('x-amzn-errortype')).toMatch(/^ValidationException:/);
    expect((error as BadRequestError).message).toContain('messages.1.content.0: Invalid `signature` in `thinking` block');
  });
});
