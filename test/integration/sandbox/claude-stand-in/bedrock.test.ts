// Claude on Bedrock through the stand-in, called by the real @anthropic-ai/bedrock-sdk: SigV4, the event stream,
// Bedrock's errors. Error names and messages follow Bedrock Runtime's API reference; where it says nothing (which
// exception a mid-stream overload becomes, the message of a missing signature) the test name says "sandbox's reading".
import { describe, expect, it } from '@jest/globals';
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { APIError, PermissionDeniedError, RateLimitError } from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { useStandIn } from './stand-in-server.ts';
import { failureOf } from '../../../support/failure.ts';

const PRINCIPAL = { accessKeyId: 'AKIASANDBOXBEDROCK', secretAccessKey: 'bedrock-secret', accountId: '000000000000', userArn: 'arn:aws:sts::000000000000:assumed-role/r/s', username: 'AROA:s' };
const MODEL = 'us.anthropic.claude-sonnet-4-6';
const PARAMS = { model: MODEL, max_tokens: 300, messages: [{ role: 'user' as const, content: 'Hello from Bedrock [[standin:tokens=12]]' }] };

const server = useStandIn('all', { iamPrincipals: [PRINCIPAL] });

function client(credentials: { accessKeyId: string; secretAccessKey: string } = PRINCIPAL): AnthropicBedrock {
  return new AnthropicBedrock({
    baseURL: `${server().baseURL}/bedrock`, awsRegion: 'us-east-1', apiKey: null, maxRetries: 0,
    awsAccessKey: credentials.accessKeyId, awsSecretKey: credentials.secretAccessKey, awsSessionToken: 'session',
  });
}

/** POSTs a body signed for `service`, as a client other than the SDK would. */
async function signedPost(path: string, body: unknown, service = 'bedrock'): Promise<Response> {
  const url = new URL(`${server().baseURL}/bedrock${path}`);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: PRINCIPAL, sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, 'content-type': 'application/json' }, body: text });
  return fetch(url, { method: 'POST', headers: signed.headers, body: text });
}

async function bedrockError(response: Response): Promise<{ status: number; type: string | null; message: unknown }> {
  const body = (await response.json()) as { message?: unknown };
  return { status: response.status, type: response.headers.get('x-amzn-errortype')?.split(':')[0] ?? null, message: body.message };
}

describe('Claude on Bedrock in the stand-in', () => {
  it('streams a reply as event stream chunks the SDK reads as Anthropic events, with Bedrock\'s invocation metrics', async () => {
    // Act
    const events: RawMessageStreamEvent[] = [];
    const stream = await client().messages.create({ ...PARAMS, stream: true });
    for await (const event of stream) events.push(event);

    // Assert
    expect(events.map((event) => event.type)).toEqual([
      'message_start', 'content_block_start', ...events.slice(2, -3).map(() => 'content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop',
    ]);
    const text = events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '')).join('');
    expect(text.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: expect.any(Number) as unknown, outputTokenCount: 12 } });
    expect(server().records.some((record) => / 200 bedrock model=us\.anthropic\.claude-sonnet-4-6 stream=true /.test(record.message))).toBe(true);
  });

  it('answers InvokeModel with the whole Message and the token counts in x-amzn-bedrock-* headers', async () => {
    // Act
    const { data, response } = await client().messages.create(PARAMS).withResponse();

    // Assert
    expect(data).toMatchObject({ type: 'message', role: 'assistant', stop_reason: 'end_turn', usage: { output_tokens: 12 } });
    expect(response.headers.get('x-amzn-bedrock-output-token-count')).toBe('12');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes a foundation model id with a version suffix (a colon, escaped in the signed path)', async () => {
    const message = await client().messages.create({ ...PARAMS, model: 'anthropic.claude-3-5-haiku-20241022-v1:0' });

    expect(message.content[0]).toMatchObject({ type: 'text' });
  });

  it('refuses an unknown access key and a wrong secret with 403s, as AWS does', async () => {
    // Act
    const unknown = await failureOf(client({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }).messages.create(PARAMS));
    const wrongSecret = await failureOf(client({ accessKeyId: PRINCIPAL.accessKeyId, secretAccessKey: 'not-it' }).messages.create(PARAMS));

    // Assert
    expect(unknown).toBeInstanceOf(PermissionDeniedError);
    expect((unknown as APIError).message).toContain('The security token included in the request is invalid.');
    expect(wrongSecret).toBeInstanceOf(PermissionDeniedError);
    expect((wrongSecret as APIError).message).toContain('The request signature we calculated does not match');
  });

  it('refuses an unsigned request and one signed for another service (sandbox\'s reading of the messages)', async () => {
    // Act
    const unsigned = await fetch(`${server().baseURL}/bedrock/model/${MODEL}/invoke`, { method: 'POST', body: '{}' });
    const otherService = await signedPost(`/model/${MODEL}/invoke`, { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [] }, 'appsync');

    // Assert
    expect(await bedrockError(unsigned)).toEqual({ status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    expect(await bedrockError(otherService)).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
  });

  it.each([
    ['a model id that is not Claude on Bedrock', '/model/claude-sonnet-4-6/invoke', { anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, 'The provided model identifier is invalid.'],
    ['a body without anthropic_version', `/model/${MODEL}/invoke`, { max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, 'Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.'],
    ['a body naming the model', `/model/${MODEL}/invoke`, { anthropic_version: 'bedrock-2023-05-31', model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, 'Malformed input request: #: extraneous key [model] is not permitted, please reformat your input and try again.'],
    ['a body without max_tokens', `/model/${MODEL}/invoke`, { anthropic_version: 'bedrock-2023-05-31', messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens: Field required'],
  ])('refuses %s with a 400 ValidationException', async (_case, path, body, message) => {
    // Act
    const response = await signedPost(path, body);

    // Assert
    expect(await bedrockError(response)).toEqual({ status: 400, type: 'ValidationException', message });
  });

  it.each([
    ['rate_limit', 429, 'ThrottlingException'],
    ['overloaded', 503, 'ServiceUnavailableException'],
    ['api_error', 500, 'InternalServerException'],
  ] as const)('answers the %s fault with HTTP %i %s', async (fault, status, type) => {
    // Act
    const error = await failureOf(client().messages.create(PARAMS, { headers: { 'x-standin-fault': fault } }));

    // Assert
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(status);
    expect((error as APIError).headers?.get('x-amzn-errortype')).toMatch(new RegExp(`^${type}:`));
    if (fault === 'rate_limit') expect(error).toBeInstanceOf(RateLimitError);
  });

  it('ends a stream that fails mid-way with a modelStreamErrorException frame after the first deltas (sandbox\'s reading)', async () => {
    // Act
    const deltas: string[] = [];
    const error = await failureOf((async () => {
      const stream = await client().messages.create({ ...PARAMS, stream: true }, { headers: { 'x-standin-fault': 'error_mid_stream' } });
      for await (const event of stream) if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') deltas.push(event.delta.text);
    })());

    // Assert
    expect(deltas).toHaveLength(3);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).type).toBe('modelStreamErrorException');
    expect((error as APIError).status).toBeUndefined();
  });

  it('cuts a stream mid-way without message_stop', async () => {
    // Act
    const types: string[] = [];
    const outcome = await (async () => {
      try {
        const stream = await client().messages.create({ ...PARAMS, stream: true }, { headers: { 'x-standin-fault': 'cut_mid_stream' } });
        for await (const event of stream) types.push(event.type);
        return 'ended';
      } catch {
        return 'failed';
      }
    })();

    // Assert
    expect(['ended', 'failed']).toContain(outcome);
    expect(types).not.toContain('message_stop');
    expect(types.filter((type) => type === 'content_block_delta')).toHaveLength(3);
  });
});
