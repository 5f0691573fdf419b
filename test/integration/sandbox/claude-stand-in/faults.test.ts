// Faults the Claude stand-in injects on request, and how each surfaces in the SDK.
import { describe, it, expect } from '@jest/globals';
import { AnthropicError, APIConnectionError, APIError, BadRequestError, InternalServerError, RateLimitError } from '@anthropic-ai/sdk';
import { MODEL, parseSse, useStandIn } from './stand-in-server.ts';
import { failureOf } from '../../../support/failure.ts';

const PARAMS = { model: MODEL, max_tokens: 300, messages: [{ role: 'user' as const, content: 'Something that may fail [[standin:tokens=60]]' }] };

describe('fault injection in the stand-in', () => {
  const server = useStandIn('each');

  it('answers rate_limit asked by header with a RateLimitError carrying retry-after', async () => {
    // Act
    const error = await failureOf(server().client().messages.create(PARAMS, { headers: { 'x-standin-fault': 'rate_limit' } }));

    // Assert
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('1');
    expect((error as RateLimitError).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('answers overloaded asked by directive with a 529 InternalServerError', async () => {
    // Act
    const error = await failureOf(server().client().messages.create({ ...PARAMS, messages: [{ role: 'user', content: 'Busy? [[standin:fault=overloaded]]' }] }));

    // Assert
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(529);
    expect((error as InternalServerError).type).toBe('overloaded_error');
  });

  it('answers a queued api_error with a 500 InternalServerError', async () => {
    // Arrange
    server().standIn.faults.enqueue('api_error');

    // Act
    const error = await failureOf(server().client().messages.create(PARAMS));

    // Assert
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(500);
    expect((error as InternalServerError).type).toBe('api_error');
  });

  it('applies a queued fault to as many requests as its count, then answers normally', async () => {
    // Arrange
    server().standIn.faults.enqueue('overloaded', 2);
    const client = server().client();

    // Act
    const outcomes = await Promise.allSettled([client.messages.create(PARAMS), client.messages.create(PARAMS)]);
    const third = await client.messages.create(PARAMS);

    // Assert
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(third.stop_reason).toBe('end_turn');
    expect(server().standIn.faults.size).toBe(0);
  });

  it('lets the SDK retry past one queued 529 when retries are allowed', async () => {
    // Arrange
    server().standIn.faults.enqueue('overloaded');

    // Act
    const message = await server().client({ maxRetries: 1 }).messages.create(PARAMS);

    // Assert
    expect(message.usage.output_tokens).toBe(60);
    expect(server().standIn.stats()).toMatchObject({ requests: 2, byFault: { overloaded: 1, none: 1 }, byStatus: { '529': 1, '200': 1 } });
  });

  it('sends an error event after some deltas for error_mid_stream', async () => {
    // Act
    const response = await server().post('/claude/v1/messages', { ...PARAMS, stream: true }, { 'x-api-key': 'k', 'x-standin-fault': 'error_mid_stream' });
    const frames = parseSse(await response.text());

    // Assert
    const events = frames.map((frame) => frame.event);
    expect(events.filter((event) => event === 'content_block_delta')).toHaveLength(3);
    expect(events.at(-1)).toBe('error');
    expect(frames.at(-1)?.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('surfaces error_mid_stream in the SDK stream as an APIError of type overloaded_error', async () => {
    // Arrange
    let received = '';
    const stream = server().client().messages.stream(PARAMS, { headers: { 'x-standin-fault': 'error_mid_stream' } });
    stream.on('text', (text) => {
      received += text;
    });

    // Act
    const error = await failureOf(stream.finalMessage());

    // Assert
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).type).toBe('overloaded_error');
    expect(received).not.toBe('');
  });

  it('answers error_mid_stream without streaming as a 529', async () => {
    // Act
    const error = await failureOf(server().client().messages.create(PARAMS, { headers: { 'x-standin-fault': 'error_mid_stream' } }));

    // Assert
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).status).toBe(529);
  });

  it('cuts the connection after some deltas for cut_mid_stream, which the SDK stream raises', async () => {
    // Arrange
    const events: string[] = [];
    const stream = server().client().messages.stream(PARAMS, { headers: { 'x-standin-fault': 'cut_mid_stream' } });
    stream.on('streamEvent', (event) => events.push(event.type));

    // Act
    const error = await failureOf(stream.finalMessage());

    // Assert
    expect(error).toBeInstanceOf(AnthropicError);
    expect(events.filter((event) => event === 'content_block_delta')).toHaveLength(3);
    expect(events).not.toContain('message_stop');
  });

  it('cuts a non-streaming request before any answer, which the SDK raises as APIConnectionError', async () => {
    // Act
    const error = await failureOf(server().client().messages.create(PARAMS, { headers: { 'x-standin-fault': 'cut_mid_stream' } }));

    // Assert
    expect(error).toBeInstanceOf(APIConnectionError);
  });

  it('still completes the reply after slow_first_token', async () => {
    // Arrange
    const expected = await server().client().messages.stream(PARAMS).finalText();

    // Act
    const text = await server().client().messages.stream(PARAMS, { headers: { 'x-standin-fault': 'slow_first_token:20' } }).finalText();

    // Assert
    expect(text).toBe(expected);
    expect(server().standIn.stats().byFault.slow_first_token).toBe(1);
  });

  it('still answers a non-streaming request after slow_first_token', async () => {
    // Act
    const message = await server().client().messages.create({ ...PARAMS, messages: [{ role: 'user', content: 'Slow [[standin:fault=slow_first_token:10, tokens=5]]' }] });

    // Assert
    expect(message.usage.output_tokens).toBe(5);
  });

  it('prefers a fault asked by the request and leaves the queue for the next one', async () => {
    // Arrange
    server().standIn.faults.enqueue('api_error');

    // Act
    const first = await failureOf(server().client().messages.create(PARAMS, { headers: { 'x-standin-fault': 'rate_limit' } }));
    const second = await failureOf(server().client().messages.create(PARAMS));

    // Assert
    expect(first).toBeInstanceOf(RateLimitError);
    expect((second as InternalServerError).status).toBe(500);
  });

  it('rejects a fault name it does not know, asked by header', async () => {
    // Act
    const error = await failureOf(server().client().messages.create(PARAMS, { headers: { 'x-standin-fault': 'meteor_strike' } }));

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain('unknown stand-in fault: meteor_strike');
  });

  it('refuses to queue a fault name it does not know', () => {
    // Act
    const enqueue = (): void => server().standIn.faults.enqueue('slow_first_token:soon' as 'slow_first_token:1');

    // Assert
    expect(enqueue).toThrow(TypeError);
  });

  it('refuses to queue a fault for zero requests', () => {
    // Act
    const enqueue = (): void => server().standIn.faults.enqueue('overloaded', 0);

    // Assert
    expect(enqueue).toThrow(RangeError);
  });

  it('forgets queued faults when cleared', async () => {
    // Arrange
    server().standIn.faults.enqueue('api_error', 3);

    // Act
    server().standIn.faults.clear();
    const message = await server().client().messages.create(PARAMS);

    // Assert
    expect(message.type).toBe('message');
  });
});
