// The streaming answer of the Claude stand-in, read raw and through the SDK's MessageStream.
import { describe, it, expect } from '@jest/globals';
import type { MessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { MODEL, parseSse, useStandIn } from './stand-in-server.ts';

const REQUEST = { model: MODEL, max_tokens: 200, stream: true, messages: [{ role: 'user', content: 'Tell me about streams.' }] };

describe('the streaming Messages API of the stand-in', () => {
  const server = useStandIn('all');

  it('sends the documented event order in raw SSE frames', async () => {
    // Arrange / act
    const response = await server().post('/claude/v1/messages', REQUEST);
    const frames = parseSse(await response.text());

    // Assert
    const order = frames.map((frame) => frame.event).filter((event, index, all) => event !== all[index - 1]);
    expect(order).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(frames.filter((frame) => frame.event === 'content_block_delta').length).toBeGreaterThan(1);
  });

  it('names each frame by the type inside its data', async () => {
    // Arrange / act
    const frames = parseSse(await (await server().post('/claude/v1/messages', REQUEST)).text());

    // Assert
    expect(frames.every((frame) => (frame.data as { type: string }).type === frame.event)).toBe(true);
  });

  it('answers with the event-stream content type and a request id', async () => {
    // Act
    const response = await server().post('/claude/v1/messages', REQUEST);
    await response.text();

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(response.headers.get('anthropic-ratelimit-requests-limit')).toMatch(/^\d+$/);
  });

  it('starts with a message skeleton that has no content and no stop reason', async () => {
    // Act
    const [start] = parseSse(await (await server().post('/claude/v1/messages', REQUEST)).text());

    // Assert
    expect(start?.data).toMatchObject({
      type: 'message_start',
      message: { type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: expect.any(Number) } },
    });
    expect((start?.data as { message: { id: string } }).message.id).toMatch(/^msg_/);
  });

  it('emits the SDK events in order and ends with message_stop', async () => {
    // Arrange
    const events: MessageStreamEvent['type'][] = [];
    const stream = server().client().messages.stream({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'Order, please.' }] });
    stream.on('streamEvent', (event) => events.push(event.type));

    // Act
    await stream.finalMessage();

    // Assert
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('content_block_start');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(new Set(events.slice(2, -3))).toEqual(new Set(['content_block_delta']));
  });

  it('builds a final message whose text is the concatenated deltas', async () => {
    // Arrange
    let streamed = '';
    const stream = server().client().messages.stream({ model: MODEL, max_tokens: 300, messages: [{ role: 'user', content: 'Concatenate.' }] });
    stream.on('text', (delta) => {
      streamed += delta;
    });

    // Act
    const message = await stream.finalMessage();

    // Assert
    expect(message.content).toEqual([{ type: 'text', text: streamed, citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('counts output tokens as the pieces it streamed, in message_delta', async () => {
    // Arrange
    const stream = server().client().messages.stream({ model: MODEL, max_tokens: 500, messages: [{ role: 'user', content: 'Count [[standin:tokens=42]]' }] });

    // Act
    const message = await stream.finalMessage();

    // Assert
    expect(message.usage.output_tokens).toBe(42);
  });

  it('streams the same text as the non-streaming answer to the same request', async () => {
    // Arrange
    const params = { model: MODEL, max_tokens: 300, messages: [{ role: 'user' as const, content: 'Same either way?' }] };

    // Act
    const streamed = await server().client().messages.stream(params).finalText();
    const whole = await server().client().messages.create(params);

    // Assert
    expect(whole.content[0]).toEqual({ type: 'text', text: streamed, citations: null });
  });

  it('streams a message without a content block when max_tokens is 0', async () => {
    // Act
    const frames = parseSse(await (await server().post('/claude/v1/messages', { ...REQUEST, max_tokens: 0 })).text());

    // Assert
    expect(frames.map((frame) => frame.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    expect(frames[2]?.data).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 0 } });
  });
});

describe('the pacing of the stand-in stream', () => {
  const server = useStandIn('all', { tokensPerSecond: 1000, firstTokenDelayMs: 5 });

  it('delivers deltas in order with non-decreasing arrival times', async () => {
    // Arrange
    const arrivals: { at: number; text: string }[] = [];
    const stream = server().client().messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Paced [[standin:tokens=40]]' }] });
    stream.on('text', (text) => arrivals.push({ at: performance.now(), text }));

    // Act
    const message = await stream.finalMessage();

    // Assert
    const times = arrivals.map((arrival) => arrival.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(arrivals.map((arrival) => arrival.text).join('')).toBe(message.content[0]?.type === 'text' ? message.content[0].text : '');
  });
});
