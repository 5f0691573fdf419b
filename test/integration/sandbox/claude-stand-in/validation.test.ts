// Requests the Claude stand-in refuses, with Anthropic's error shape and the SDK's matching error classes.
import { describe, it, expect } from '@jest/globals';
import Anthropic, { AuthenticationError, BadRequestError, NotFoundError, type APIError } from '@anthropic-ai/sdk';
import { MODEL, useStandIn } from './stand-in-server.ts';

const VALID = { model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] };
const BREAKPOINT = { type: 'ephemeral' };

describe('request validation in the stand-in', () => {
  const server = useStandIn('all');

  /** Sends any body through the SDK, bypassing its parameter types, and returns what it raised. */
  async function rejectionOf(body: Record<string, unknown>): Promise<APIError> {
    try {
      await server().client().post('/v1/messages', { body });
    } catch (error) {
      return error as APIError;
    }
    throw new Error('the request was accepted');
  }

  it.each([
    ['without a model', { ...VALID, model: undefined }, 'model: Field required'],
    ['without messages', { ...VALID, messages: undefined }, 'messages: Field required'],
    ['with an empty list of messages', { ...VALID, messages: [] }, 'messages: at least one message is required'],
    ['whose first message is from the assistant', { ...VALID, messages: [{ role: 'assistant', content: 'Hi' }, { role: 'user', content: 'Hello' }] }, 'messages: first message must use the "user" role'],
    ['without max_tokens', { ...VALID, max_tokens: undefined }, 'max_tokens: Field required'],
    ['with a negative max_tokens', { ...VALID, max_tokens: -1 }, 'max_tokens: Input should be greater than or equal to 0'],
    ['with a fractional max_tokens', { ...VALID, max_tokens: 1.5 }, 'max_tokens: Input should be a valid integer'],
    ['with an unknown role', { ...VALID, messages: [{ role: 'robot', content: 'Hi' }] }, "messages.0.role: Input should be 'user', 'assistant' or 'system'"],
    ['with an empty user message', { ...VALID, messages: [{ role: 'user', content: '' }] }, 'messages.0: all messages must have non-empty content except for the optional final assistant message'],
    ['with five cache breakpoints', { ...VALID, messages: [{ role: 'user', content: Array.from({ length: 5 }, (_, i) => ({ type: 'text', text: `part ${i}`, cache_control: BREAKPOINT })) }] }, 'A maximum of 4 blocks with cache_control may be provided. Found 5.'],
    ['with a cache_control of another type', { ...VALID, system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'persistent' } }] }, "system.0.cache_control.type: Input should be 'ephemeral'"],
    ['with a non-boolean stream', { ...VALID, stream: 'yes' }, 'stream: Input should be a valid boolean'],
    ['with a metadata field other than user_id', { ...VALID, metadata: { user_id: 'u', email: 'a@b.c' } }, 'metadata.email: Extra inputs are not permitted'],
    ['with a user_id that is not a string', { ...VALID, metadata: { user_id: 7 } }, 'metadata.user_id: Input should be a valid string'],
    ['with a user_id over 256 characters', { ...VALID, metadata: { user_id: 'u'.repeat(257) } }, 'metadata.user_id: String should have at most 256 characters'],
  ])('rejects a request %s', async (_name, body, message) => {
    // Act
    const error = await rejectionOf(body);

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message } });
  });

  it('rejects a content block of an unknown type, naming the expected tags', async () => {
    // Act
    const error = await rejectionOf({ ...VALID, messages: [{ role: 'user', content: [{ type: 'video', url: 'x' }] }] });

    // Assert
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain("messages.0.content.0: Input tag 'video' found using 'type' does not match any of the expected tags: 'text', 'image'");
  });

  it('accepts consecutive user turns, which the API merges', async () => {
    // Act
    const message = await server().client().messages.create({ ...VALID, messages: [{ role: 'user', content: 'One' }, { role: 'user', content: 'Two' }] });

    // Assert
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining('You wrote: "Two"') });
  });

  it('accepts an empty final assistant message as prefill', async () => {
    // Act
    const message = await server().client().messages.create({ ...VALID, messages: [{ role: 'user', content: 'One' }, { role: 'assistant', content: '' }] });

    // Assert
    expect(message.type).toBe('message');
  });

  it('rejects a body that is not JSON, with a request id in body and header', async () => {
    // Act
    const response = await server().post('/claude/v1/messages', '{"model": ');
    const body = await response.json() as { type: string; error: { type: string }; request_id: string };

    // Assert
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(body.request_id).toBe(response.headers.get('request-id'));
  });

  it('rejects a JSON body that is not an object', async () => {
    // Act
    const response = await server().post('/claude/v1/messages', [VALID]);

    // Assert
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: 'Request body must be a JSON object' } });
  });

  it('rejects a request without an API key as an authentication error', async () => {
    // Act
    const response = await server().post('/claude/v1/messages', VALID, {});

    // Assert
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' } });
  });

  it('raises the SDK AuthenticationError for a 401', async () => {
    // Arrange
    const client = new Anthropic({ apiKey: null, authToken: null, baseURL: server().baseURL, maxRetries: 0, defaultHeaders: { authorization: null } });

    // Act
    const attempt = client.messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }] });

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('accepts any API key value', async () => {
    // Act
    const response = await server().post('/claude/v1/messages', VALID, { 'x-api-key': 'anything-at-all' });

    // Assert
    expect(response.status).toBe(200);
  });

  it('answers an unknown path under /v1 with not_found_error', async () => {
    // Act
    const attempt = server().client().models.list();

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers a GET of /v1/messages with not_found_error', async () => {
    // Act
    const response = await fetch(`${server().baseURL}/v1/messages`, { headers: { 'x-api-key': 'k' } });

    // Assert
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('leaves paths outside /v1 to the next handler', async () => {
    // Act
    const response = await server().post('/claude/health', {});

    // Assert
    expect(response.status).toBe(418);
  });

  it('leaves paths outside the prefix it is mounted at to the next handler', async () => {
    // Arrange
    const before = server().standIn.stats().requests;

    // Act
    const response = await server().post('/v1/messages', VALID);

    // Assert
    expect(response.status).toBe(418);
    expect(server().standIn.stats().requests).toBe(before);
  });
});
