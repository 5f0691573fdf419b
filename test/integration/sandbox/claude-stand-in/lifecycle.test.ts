// The Claude stand-in as a sandbox part: its log lines, its counts, count_tokens, and closing with streams open.
import { describe, it, expect } from '@jest/globals';
import { AnthropicError } from '@anthropic-ai/sdk';
import { MODEL, useStandIn } from './stand-in-server.ts';

const SECRET_KEY = 'sk-ant-do-not-log-me';

describe('the stand-in as a sandbox part', () => {
  const server = useStandIn('each');

  it('logs each request at info with model, mode, tokens and fault', async () => {
    // Act
    await server().post('/claude/v1/messages', { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'Log me [[standin:fault=slow_first_token:1]]' }] }).then((response) => response.text());

    // Assert
    const infos = server().records.filter((record) => record.level === 'info');
    expect(infos).toHaveLength(1);
    expect(infos[0]?.component).toBe('claude');
    expect(infos[0]?.message).toMatch(/^POST \/claude\/v1\/messages 200 model=claude-sonnet-4-6 stream=false in=\d+ out=10 cache_read=0 cache_write=0 fault=slow_first_token$/);
  });

  it('logs a refused request with its status and error type', async () => {
    // Act
    await server().post('/claude/v1/messages', { model: MODEL, messages: [] }).then((response) => response.text());

    // Assert
    expect(server().records[0]?.message).toBe('POST /claude/v1/messages 400 invalid_request_error: max_tokens: Field required');
  });

  it('never logs the API key', async () => {
    // Act
    await server().post('/claude/v1/messages', { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] }, { 'x-api-key': SECRET_KEY }).then((response) => response.text());
    await server().post('/claude/v1/nothing', {}, { 'x-api-key': SECRET_KEY }).then((response) => response.text());

    // Assert
    expect(server().records.length).toBeGreaterThanOrEqual(2);
    expect(server().records.some((record) => record.message.includes(SECRET_KEY))).toBe(false);
  });

  it('counts requests by status and fault', async () => {
    // Arrange
    server().standIn.faults.enqueue('rate_limit');

    // Act
    await server().post('/claude/v1/messages', { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] }).then((response) => response.text());
    await server().post('/claude/v1/messages', { model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'Hi' }] }).then((response) => response.text());
    await server().post('/claude/v1/messages', {}, {}).then((response) => response.text());

    // Assert
    expect(server().standIn.stats()).toEqual({ requests: 3, byFault: { rate_limit: 1, none: 2 }, byStatus: { '429': 1, '200': 1, '401': 1 } });
  });

  it('answers count_tokens with the input tokens of a request', async () => {
    // Act
    const count = await server().client().messages.countTokens({ model: MODEL, system: 'Be brief.', messages: [{ role: 'user', content: 'Hello, Claude' }] });

    // Assert
    expect(count).toEqual({ input_tokens: 3 + 4 });
  });

});

describe('closing the stand-in', () => {
  const server = useStandIn('each', { tokensPerSecond: 20 });

  it('drops an open stream when closed, which the SDK raises', async () => {
    // Arrange
    const stream = server().client().messages.stream({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'Long [[standin:tokens=1000]]' }] });
    const outcome = stream.finalMessage().then(() => 'completed', (error: unknown) => error);
    await new Promise<void>((resolve) => stream.once('text', () => resolve()));

    // Act
    await server().standIn.stop();

    // Assert
    expect(await outcome).toBeInstanceOf(AnthropicError);
    expect(server().records.at(-1)?.message).toContain(' incomplete');
  });

  it('drops an open non-streaming request when closed', async () => {
    // Arrange
    const attempt = server().client().messages.create({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'Long [[standin:tokens=1000]]' }] });
    const outcome = attempt.then(() => 'completed', (error: unknown) => error);
    await server().nextRecord((record) => record.message.startsWith('answering a message'));

    // Act
    await server().standIn.stop();

    // Assert
    expect(await outcome).toBeInstanceOf(AnthropicError);
  });
});
