// What the Claude stand-in says: deterministic text, its length, and why it stopped.
import { describe, it, expect } from '@jest/globals';
import type { Message } from '@anthropic-ai/sdk/resources/messages';
import { MODEL, useStandIn } from './stand-in-server.ts';

function textOf(message: Message): string {
  const block = message.content[0];
  return block?.type === 'text' ? block.text : '';
}

describe('the replies of the stand-in', () => {
  const server = useStandIn('all');

  it('answers a non-streaming request with a complete Message object', async () => {
    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: 'Hello, Claude' }] });

    // Assert
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: MODEL, stop_reason: 'end_turn', stop_sequence: null });
    expect(message.id).toMatch(/^msg_01[0-9A-Za-z]{22}$/);
    expect(message.usage).toMatchObject({ input_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('gives the same text to the same request', async () => {
    // Arrange
    const params = { model: MODEL, max_tokens: 300, messages: [{ role: 'user' as const, content: 'Is this deterministic?' }] };

    // Act
    const first = await server().client().messages.create(params);
    const second = await server().client().messages.create(params);

    // Assert
    expect(textOf(second)).toBe(textOf(first));
  });

  it('gives a different text when the conversation differs', async () => {
    // Act
    const first = await server().client().messages.create({ model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: 'First question' }] });
    const second = await server().client().messages.create({ model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: 'Second question' }] });

    // Assert
    expect(textOf(second)).not.toBe(textOf(first));
  });

  it('mentions the last user message in its reply', async () => {
    // Act
    const message = await server().client().messages.create({
      model: MODEL,
      max_tokens: 300,
      messages: [
        { role: 'user', content: 'An earlier question' },
        { role: 'assistant', content: 'An earlier answer' },
        { role: 'user', content: 'What about penguins?' },
      ],
    });

    // Assert
    expect(textOf(message)).toContain('What about penguins?');
  });

  it('cuts the reply at max_tokens and says so in stop_reason', async () => {
    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'Say a lot [[standin:tokens=100]]' }] });

    // Assert
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(5);
  });

  it('cuts the text to a prefix of the uncut reply', async () => {
    // Arrange
    const messages = [{ role: 'user' as const, content: 'A prefix, please' }];

    // Act
    const whole = await server().client().messages.create({ model: MODEL, max_tokens: 1000, messages });
    const cut = await server().client().messages.create({ model: MODEL, max_tokens: 7, messages });

    // Assert
    expect(textOf(whole).startsWith(textOf(cut))).toBe(true);
    expect(textOf(cut).length).toBeLessThan(textOf(whole).length);
  });

  it('replies with the number of tokens a directive asks for', async () => {
    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'Benchmark [[standin:tokens=1000]]' }] });

    // Assert
    expect(message.usage.output_tokens).toBe(1000);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('leaves the directive out of the quoted question', async () => {
    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'Quote me [[standin:tokens=20]]' }] });

    // Assert
    expect(textOf(message)).not.toContain('standin');
  });

  it('stops before a stop sequence and names it', async () => {
    // Arrange
    const messages = [{ role: 'user' as const, content: 'Stop at the quote' }];

    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 300, stop_sequences: ['quote'], messages });

    // Assert
    expect(message.stop_reason).toBe('stop_sequence');
    expect(message.stop_sequence).toBe('quote');
    expect(textOf(message)).toBe('You wrote: "Stop at the ');
  });

  it('answers max_tokens 0 with no content, as a cache pre-warm', async () => {
    // Act
    const message = await server().client().messages.create({ model: MODEL, max_tokens: 0, messages: [{ role: 'user', content: 'Warm up' }] });

    // Assert
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(0);
  });

  it('replies to a message of images alone without quoting anything', async () => {
    // Act
    const message = await server().client().messages.create({
      model: MODEL,
      max_tokens: 300,
      messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } }] }],
    });

    // Assert
    expect(textOf(message)).toMatch(/^Here is my answer\./);
  });

  it('shortens a long question when quoting it', async () => {
    // Act
    const message = await server().client().messages.create({
      model: MODEL,
      max_tokens: 300,
      messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen' }],
    });

    // Assert
    expect(textOf(message)).toContain('"one two three four five six seven eight nine ten eleven twelve…"');
  });
});
