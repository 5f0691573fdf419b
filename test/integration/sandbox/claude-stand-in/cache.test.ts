// Prompt-cache accounting of the Claude stand-in: writes, reads, lifetimes, minimums and breakpoints.
import { describe, it, expect, beforeEach } from '@jest/globals';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { longText, MODEL, useStandIn } from './stand-in-server.ts';

const MINUTE = 60_000;

/** A request with a cached system prompt of `tokens` tokens and a 3-token question ("Question one"). */
function cachedSystem(tokens: number, extra: Partial<MessageCreateParamsNonStreaming> = {}): MessageCreateParamsNonStreaming {
  return {
    model: MODEL,
    max_tokens: 50,
    system: [{ type: 'text', text: longText(tokens), cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: 'Question one' }],
    ...extra,
  };
}

describe('prompt caching in the stand-in', () => {
  let clock = 1_000_000;
  beforeEach(() => {
    clock = 1_000_000;
  });
  const server = useStandIn('each', () => ({ now: () => clock }));

  it('writes a prefix to the cache on the first call', async () => {
    // Act
    const { usage } = await server().client().messages.create(cachedSystem(2000));

    // Assert
    expect(usage).toMatchObject({ cache_creation_input_tokens: 2000, cache_read_input_tokens: 0, input_tokens: 3 });
    expect(usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 0 });
  });

  it('reads the same prefix from the cache on the second call', async () => {
    // Arrange
    await server().client().messages.create(cachedSystem(2000));

    // Act
    const { usage } = await server().client().messages.create(cachedSystem(2000, { messages: [{ role: 'user', content: 'Question two' }] }));

    // Assert
    expect(usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 2000, input_tokens: 3 });
  });

  it('reports the cache figures in message_start of a stream', async () => {
    // Arrange
    await server().client().messages.create(cachedSystem(2000));
    let startUsage: unknown;
    const stream = server().client().messages.stream(cachedSystem(2000));
    stream.on('streamEvent', (event) => {
      if (event.type === 'message_start') startUsage = event.message.usage;
    });

    // Act
    await stream.finalMessage();

    // Assert
    expect(startUsage).toMatchObject({ cache_read_input_tokens: 2000, cache_creation_input_tokens: 0, input_tokens: 3 });
  });

  it('caches nothing below the minimum cacheable length of the model', async () => {
    // Arrange
    await server().client().messages.create(cachedSystem(1000));

    // Act
    const { usage } = await server().client().messages.create(cachedSystem(1000));

    // Assert
    expect(usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0, input_tokens: 1003 });
  });

  it('applies the larger minimum of Haiku 4.5', async () => {
    // Act
    const { usage } = await server().client().messages.create(cachedSystem(2000, { model: 'claude-haiku-4-5' }));

    // Assert
    expect(usage).toMatchObject({ cache_creation_input_tokens: 0, input_tokens: 2003 });
  });

  it('writes again once five minutes passed without a read', async () => {
    // Arrange
    await server().client().messages.create(cachedSystem(2000));
    clock += 5 * MINUTE;

    // Act
    const { usage } = await server().client().messages.create(cachedSystem(2000));

    // Assert
    expect(usage).toMatchObject({ cache_creation_input_tokens: 2000, cache_read_input_tokens: 0 });
  });

  it('refreshes the lifetime of an entry each time it is read', async () => {
    // Arrange
    await server().client().messages.create(cachedSystem(2000));
    clock += 4 * MINUTE;
    await server().client().messages.create(cachedSystem(2000));
    clock += 4 * MINUTE;

    // Act
    const { usage } = await server().client().messages.create(cachedSystem(2000));

    // Assert
    expect(usage.cache_read_input_tokens).toBe(2000);
  });

  it('keeps a one-hour entry past five minutes', async () => {
    // Arrange
    const oneHour = cachedSystem(2000, { system: [{ type: 'text', text: longText(2000), cache_control: { type: 'ephemeral', ttl: '1h' } }] });
    const written = await server().client().messages.create(oneHour);
    clock += 30 * MINUTE;

    // Act
    const { usage } = await server().client().messages.create(oneHour);

    // Assert
    expect(written.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 2000 });
    expect(usage.cache_read_input_tokens).toBe(2000);
  });

  it('does not share entries between models', async () => {
    // Arrange
    await server().client().messages.create(cachedSystem(2000));

    // Act
    const { usage } = await server().client().messages.create(cachedSystem(2000, { model: 'claude-opus-4-8' }));

    // Assert
    expect(usage).toMatchObject({ cache_creation_input_tokens: 2000, cache_read_input_tokens: 0 });
  });

  it('counts tools before the system prompt in the cached prefix', async () => {
    // Arrange
    const tool = { name: 'lookup', description: longText(1500, 'tool'), input_schema: { type: 'object' as const }, cache_control: { type: 'ephemeral' as const } };
    const params = cachedSystem(2000, { tools: [tool] });
    const first = await server().client().messages.create(params);

    // Act
    const second = await server().client().messages.create({ ...params, system: [{ type: 'text', text: 'A different system prompt.' }] });

    // Assert
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(3500);
    expect(second.usage.cache_read_input_tokens).toBe((first.usage.cache_creation_input_tokens ?? 0) - 2000);
  });

  it('reads the earlier turns and writes the new one when top-level cache_control follows a growing conversation', async () => {
    // Arrange
    const turn1 = [{ role: 'user' as const, content: longText(2000) }];
    const first = await server().client().messages.create({ model: MODEL, max_tokens: 50, cache_control: { type: 'ephemeral' }, messages: turn1 });
    const turn2 = [...turn1, { role: 'assistant' as const, content: 'An answer of a few tokens.' }, { role: 'user' as const, content: 'And a follow-up.' }];

    // Act
    const second = await server().client().messages.create({ model: MODEL, max_tokens: 50, cache_control: { type: 'ephemeral' }, messages: turn2 });

    // Assert
    expect(first.usage).toMatchObject({ cache_creation_input_tokens: 2000, input_tokens: 0 });
    expect(second.usage).toMatchObject({ cache_read_input_tokens: 2000, cache_creation_input_tokens: 11, input_tokens: 0 });
  });

  it('splits the input into read, written and plain tokens that add up to the count_tokens total', async () => {
    // Arrange
    const params = cachedSystem(2000, { messages: [{ role: 'user', content: [{ type: 'text', text: longText(1200, 'doc'), cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'What does it say?' }] }] });
    await server().client().messages.create(cachedSystem(2000));
    const total = await server().client().messages.countTokens({ model: params.model, messages: params.messages, ...(params.system ? { system: params.system } : {}) });

    // Act
    const { usage } = await server().client().messages.create(params);

    // Assert
    expect(usage).toMatchObject({ cache_read_input_tokens: 2000, cache_creation_input_tokens: 1200, input_tokens: 5 });
    expect(usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0)).toBe(total.input_tokens);
  });
});
