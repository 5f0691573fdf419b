// Server tools end to end, as the product deploys them: the bundled chat function in the sandbox runs the default
// catalog (infra/tools.ts), a Lambda tool through Lambda's Invoke API (sandbox/lambda/invoke-route.ts), and a GraphQL
// tool as the signed-in user. The stand-in calls the tools that `[[standin:tool=NAME {input}]]` names.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { lambdaTool } from '../../functions/chat/tools/lambda.ts';
import type { LambdaToolSpec, ToolContext } from '../../functions/chat/tools/types.ts';
import { api, conversation, events, startProduct, subscribe, user, type Product, type User } from './product.ts';
import type { RawClient } from '../integration/sandbox/ws-client.ts';

const SEND = 'mutation S($input: SendMessageInput!) { sendMessage(input: $input) { reply { id } } }';
const MESSAGE = `query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) {
  status content blocks { index type text toolUseId name input status output isError } } }`;

interface Block { type: string; text?: string | null; status?: string | null; output?: string | null; isError?: boolean | null }

let p: Product;
let ana: User;
const sockets: RawClient[] = [];

beforeAll(async () => {
  p = await startProduct();
  ana = await user(p.sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await p?.stop();
});

/** Sends `content` in a new conversation and returns the reply once it has ended. */
async function reply(content: string): Promise<{ status: string; blocks: Block[] }> {
  const c = await conversation(p.sandbox, ana);
  const socket = await subscribe(p.sandbox, ana, c);
  sockets.push(socket);
  const sent = await api(p.sandbox, ana)(SEND, { input: { conversationId: c, content, clientMessageId: randomUUID() } });
  const id = (sent.body.data?.sendMessage as { reply: { id: string } }).reply.id;
  await socket.waitFor(() => events(socket).some((event) => event.messageId === id && (event.type === 'DONE' || event.type === 'ERROR')), 'the reply to end', 30_000);
  return (await api(p.sandbox, ana)(MESSAGE, { c, id })).body.data?.getMessage as { status: string; blocks: Block[] };
}

describe('a Lambda tool', () => {
  it('is invoked with the model\'s input and its answer goes back to the model', async () => {
    const answer = await reply('How far is 5 km in miles? [[standin:tool=convert_units {"value":5,"from":"km","to":"mi"}]]');

    expect(answer.status).toBe('COMPLETE');
    const result = answer.blocks.find((block) => block.type === 'TOOL_RESULT');
    expect(result?.isError).toBe(false);
    expect(JSON.parse(result?.output ?? 'null')).toEqual({ value: 3.106855961, unit: 'mi' });
    expect(answer.blocks.find((block) => block.type === 'TOOL_USE')?.status).toBe('COMPLETE');
    expect(answer.blocks.at(-1)?.text).toContain('3.106855961');
  });

  it('that throws gives the model an error result with its message, and the reply still completes', async () => {
    const answer = await reply('Weigh a kilometre. [[standin:tool=convert_units {"value":1,"from":"km","to":"kg"}]]');

    expect(answer.status).toBe('COMPLETE');
    const result = answer.blocks.find((block) => block.type === 'TOOL_RESULT');
    expect(result?.isError).toBe(true);
    expect(JSON.parse(result?.output ?? 'null')).toEqual({ error: 'convert_units failed: cannot convert length (km) to mass (kg)' });
  });
});

describe('a GraphQL tool', () => {
  it('reads the sender\'s own usage through the API', async () => {
    const answer = await reply('How much have I used today? [[standin:tool=get_usage {}]]');

    const result = answer.blocks.find((block) => block.type === 'TOOL_RESULT');
    expect(result?.isError).toBe(false);
    expect(JSON.parse(result?.output ?? 'null')).toMatchObject({ usage: { quota: expect.any(Number), remaining: expect.any(Number) } });
  });
});

/** The convert_units function's name in the sandbox, as the chat function finds it in its environment. */
function toolFunctionName(): string {
  const fn = p.sandbox.template.functions.find((candidate) => candidate.environment.POWERTOOLS_SERVICE_NAME === 'convert_units');
  return fn?.name ?? '';
}

/** POSTs to the Invoke API, signed for `lambda` with the sandbox's credentials unless `sign` is false. */
async function invoke(functionName: string, body: string, headers: Record<string, string> = {}, sign = true): Promise<Response> {
  const url = new URL(`/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, p.sandbox.urls.base);
  const request = { method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host, ...headers }, body };
  const signer = new SignatureV4({ credentials: { accessKeyId: p.sandbox.iam.accessKeyId, secretAccessKey: p.sandbox.iam.secretAccessKey }, region: 'us-east-1', service: 'lambda', sha256: Sha256 });
  const signed = sign ? await signer.sign(request) : request;
  return fetch(url, { method: 'POST', headers: signed.headers, body });
}

describe('Lambda\'s Invoke API in the sandbox', () => {
  const input = JSON.stringify({ input: { value: 1, from: 'in', to: 'cm' } });

  it('answers a RequestResponse invocation with the function\'s result', async () => {
    const response = await invoke(toolFunctionName(), input);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ value: 2.54, unit: 'cm' });
  });

  it('takes the function\'s full ARN as its name', async () => {
    const response = await invoke(`arn:aws:lambda:us-east-1:${p.sandbox.iam.accountId}:function:${toolFunctionName()}`, input);

    expect(response.status).toBe(200);
  });

  it('answers a function error with 200, X-Amz-Function-Error and the error document', async () => {
    const response = await invoke(toolFunctionName(), JSON.stringify({ input: { value: 1, from: 'C', to: 'kg' } }));

    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(await response.json()).toMatchObject({ errorType: 'Error', errorMessage: 'cannot convert C to kg: one is a temperature and the other is not' });
  });

  it('answers an Event invocation with 202 and no body', async () => {
    const response = await invoke(toolFunctionName(), input, { 'x-amz-invocation-type': 'Event' });

    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it.each([
    ['an unsigned request', () => invoke(toolFunctionName(), input, {}, false), 403, 'MissingAuthenticationTokenException'],
    ['an unknown function', () => invoke('no-such-function', input), 404, 'ResourceNotFoundException'],
    ['a DryRun', () => invoke(toolFunctionName(), input, { 'x-amz-invocation-type': 'DryRun' }), 400, 'InvalidParameterValueException'],
    ['a body that is not JSON', () => invoke(toolFunctionName(), '{nope'), 400, 'InvalidRequestContentException'],
  ])('refuses %s as Lambda does', async (_what, call, status, errorType) => {
    const response = await call();

    expect(response.status).toBe(status);
    expect(response.headers.get('x-amzn-errortype')).toBe(errorType);
    expect(await response.json()).toMatchObject({ Type: 'User', message: expect.any(String) });
  });
});

describe('the chat function\'s Lambda tool client', () => {
  const spec: LambdaToolSpec = { kind: 'lambda', name: 'convert_units', description: 'Converts.', inputSchema: { type: 'object' }, entry: 'functions/tools/convert-units.ts' };
  const context = (): ToolContext => ({ owner: ana.sub, userToken: undefined, graphqlUrl: p.sandbox.urls.graphql, signal: new AbortController().signal, now: Date.now });
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: p.sandbox.iam.accessKeyId, AWS_SECRET_ACCESS_KEY: p.sandbox.iam.secretAccessKey,
    AWS_ENDPOINT_URL_LAMBDA: p.sandbox.urls.base, TOOL_FUNCTION_CONVERT_UNITS: toolFunctionName(), ...extra,
  });

  it('says the tool is not available when its function is not configured', async () => {
    await expect(lambdaTool(spec, env({ TOOL_FUNCTION_CONVERT_UNITS: '' })).run({}, context())).rejects.toThrow('convert_units is not available: its function is not configured.');
  });

  it('says Lambda refused it, with the error type, when its credentials are wrong', async () => {
    await expect(lambdaTool(spec, env({ AWS_ACCESS_KEY_ID: 'AKIAWRONG' })).run({ value: 1, from: 'm', to: 'cm' }, context())).rejects.toThrow('Lambda refused to run convert_units (HTTP 403 UnrecognizedClientException).');
  });

  it('says it could not reach Lambda when nothing answers', async () => {
    await expect(lambdaTool(spec, env({ AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9' })).run({}, context())).rejects.toThrow(/convert_units could not reach Lambda: /);
  });
});
