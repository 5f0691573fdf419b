// RequestResponse invocations: results, error responses, handler styles, environment, context and log lines.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { createLogger } from '../../../../sandbox/log.ts';
import { FunctionNotFoundError, LambdaService } from '../../../../sandbox/lambda/runtime.ts';
import { FunctionFolders, recordingSink } from './functions.ts';

const folders = new FunctionFolders();
const sink = recordingSink();
// NodejsFunction's output: TypeScript bundled by esbuild to CommonJS.
const bundled = transformSync('export const handler = async (event: { n: number }) => ({ doubled: event.n * 2 });', { loader: 'ts', format: 'cjs' }).code;
const functions = [
  folders.write('bundled', { 'index.js': bundled }),
  folders.write('esm', { 'index.mjs': 'export const handler = async (event) => ({ module: "esm", event });' }),
  folders.write('failing', { 'index.js': 'exports.handler = async () => { throw new TypeError("bad input"); };' }),
  folders.write('thrower', { 'index.js': 'exports.handler = async () => { throw "plain string"; };' }),
  folders.write('callback', { 'index.js': 'exports.handler = (event, context, callback) => { setImmediate(() => callback(null, { via: "callback" })); };' }),
  folders.write('callbackError', { 'index.js': 'exports.handler = (event, context, callback) => callback(new Error("from callback"));' }),
  folders.write('env', { 'index.js': 'exports.handler = async () => ({ ...process.env });' }, { environment: { TABLE_NAME: 'Messages' }, memoryMb: 256 }),
  folders.write('context', {
    'index.js': 'exports.handler = async (event, context) => ({ ...context, remaining: context.getRemainingTimeInMillis() });',
  }),
  folders.write('noResult', { 'index.js': 'exports.handler = async () => undefined;' }),
  folders.write('logging', {
    'index.js': [
      'console.log("loading");',
      'exports.handler = async () => {',
      '  console.log("count %d", 3); console.info("info"); console.warn("careful"); console.error("broken"); console.debug("detail");',
      '  process.stdout.write("raw line\\n");',
      '  return "logged";',
      '};',
    ].join('\n'),
  }),
  folders.write('nested', { 'src/app.mjs': 'export const routes = { chat: async () => "nested" };' }, { handler: 'src/app.routes.chat' }),
  // cdk.out lives in this project, whose package.json says "type": "module": a CommonJS bundle must still load.
  folders.write(
    'moduleScope',
    { 'package.json': '{"type":"module"}', 'asset/index.js': 'exports.handler = async () => "commonjs";' },
    { codeDir: join(folders.root, 'moduleScope', 'asset') },
  ),
  folders.write('moduleInside', { 'index.js': 'export const handler = async () => "esm in .js";', 'package.json': '{"type":"module"}' }),
  folders.write('notExported', { 'index.js': 'exports.other = async () => 1;' }),
  folders.write('noFile', { 'main.js': 'exports.handler = async () => 1;' }),
  folders.write('missingDependency', { 'index.js': 'require("not-a-bundled-package"); exports.handler = async () => 1;' }),
  folders.write('syntaxError', { 'index.mjs': 'export const handler = async () => {' }),
];
process.env.ONLY_IN_TEST_PROCESS = 'leaked';
const sandboxEnvironment = {
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  AWS_ACCESS_KEY_ID: 'sandbox',
  AWS_SECRET_ACCESS_KEY: 'sandbox-secret',
  AWS_SESSION_TOKEN: 'sandbox-token',
};
const lambda = new LambdaService({ functions, log: createLogger('lambda', sink), sandboxEnvironment, accountId: '123456789012' });

afterAll(async () => {
  await lambda.stop();
  folders.remove();
});

describe('a RequestResponse invocation', () => {
  it('answers 200 with the result of a CommonJS bundle as esbuild writes it', async () => {
    const result = await lambda.invoke('bundled', { n: 21 }, 'RequestResponse');

    expect(result).toEqual({ statusCode: 200, payload: { doubled: 42 } });
  });

  it('runs an ES module handler from index.mjs', async () => {
    const result = await lambda.invoke('esm', { a: 1 }, 'RequestResponse');

    expect(result.payload).toEqual({ module: 'esm', event: { a: 1 } });
  });

  it('answers a thrown error as Unhandled with errorType, errorMessage and trace', async () => {
    const result = await lambda.invoke('failing', {}, 'RequestResponse');

    expect(result).toMatchObject({ statusCode: 200, functionError: 'Unhandled', payload: { errorType: 'TypeError', errorMessage: 'bad input' } });
    expect(result.error?.trace?.[0]).toBe('TypeError: bad input');
  });

  it('types a thrown non-Error by its JavaScript type', async () => {
    const result = await lambda.invoke('thrower', {}, 'RequestResponse');

    expect(result.error).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] });
  });

  it('logs the error response as the runtime does', async () => {
    await lambda.invoke('failing', {}, 'RequestResponse');

    expect(sink.messages('lambda:failing')).toContainEqual(expect.stringMatching(/\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"bad input"/));
  });

  it('takes the result a callback-style handler passes to its callback', async () => {
    const result = await lambda.invoke('callback', {}, 'RequestResponse');

    expect(result.payload).toEqual({ via: 'callback' });
  });

  it('takes the error a callback-style handler passes to its callback', async () => {
    const result = await lambda.invoke('callbackError', {}, 'RequestResponse');

    expect(result.error).toMatchObject({ errorType: 'Error', errorMessage: 'from callback' });
  });

  it('answers null when the handler returns nothing', async () => {
    const result = await lambda.invoke('noResult', {}, 'RequestResponse');

    expect(result).toEqual({ statusCode: 200, payload: null });
  });

  it('finds a handler in a subfolder under a nested export', async () => {
    const result = await lambda.invoke('nested', {}, 'RequestResponse');

    expect(result.payload).toBe('nested');
  });

  it('loads index.js as CommonJS under a package.json that says "module" outside the code folder', async () => {
    const result = await lambda.invoke('moduleScope', {}, 'RequestResponse');

    expect(result.payload).toBe('commonjs');
  });

  it('loads index.js as an ES module when the code folder\'s package.json says so', async () => {
    const result = await lambda.invoke('moduleInside', {}, 'RequestResponse');

    expect(result.payload).toBe('esm in .js');
  });

  it('rejects an unknown function as ResourceNotFoundException', async () => {
    const invocation = lambda.invoke('nobody', {}, 'RequestResponse');

    await expect(invocation).rejects.toThrow(FunctionNotFoundError);
    await expect(invocation).rejects.toThrow('Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nobody');
  });
});

describe('the function environment', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = (await lambda.invoke('env', {}, 'RequestResponse')).payload as Record<string, string>;
  });

  it('holds the function\'s own variables', () => {
    expect(env.TABLE_NAME).toBe('Messages');
  });

  it('holds the sandbox\'s endpoints and credentials', () => {
    expect(env).toMatchObject(sandboxEnvironment);
  });

  it('holds the variables Lambda defines', () => {
    expect(env).toMatchObject({
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_LAMBDA_FUNCTION_NAME: 'env',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: functions[6]!.codeDir,
      _HANDLER: 'index.handler',
      TZ: ':UTC',
    });
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('holds nothing of the sandbox process\'s own environment', () => {
    expect(env.ONLY_IN_TEST_PROCESS).toBeUndefined();
  });
});

describe('the context object', () => {
  it('describes the function and the invocation', async () => {
    const context = (await lambda.invoke('context', {}, 'RequestResponse')).payload as Record<string, unknown>;

    expect(context).toMatchObject({
      functionName: 'context',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:context',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/context',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(context.remaining).toEqual(expect.any(Number));
    expect(context.remaining).toBeGreaterThan(0);
  });
});

describe('the function logs', () => {
  let lines: string[];
  let requestId: string;
  beforeAll(async () => {
    await lambda.invoke('logging', {}, 'RequestResponse');
    lines = sink.messages('lambda:logging');
    requestId = /^START RequestId: (\S+) Version: \$LATEST$/.exec(lines.find((line) => line.startsWith('START')) ?? '')?.[1] ?? 'none';
  });

  it('prints console output as time, request id, level and message', () => {
    const output = lines.filter((line) => line.includes(`\t${requestId}\t`)).map((line) => line.split('\t').slice(2).join('\t'));

    expect(output).toEqual(['INFO\tcount 3', 'INFO\tinfo', 'WARN\tcareful', 'ERROR\tbroken', 'DEBUG\tdetail']);
  });

  it('routes console levels to the sandbox log levels', () => {
    const levels = sink.records.filter((r) => r.component === 'lambda:logging' && r.message.includes(`\t${requestId}\t`)).map((r) => r.level);

    expect(levels).toEqual(['info', 'info', 'warn', 'error', 'debug']);
  });

  it('prints init output with an undefined request id', () => {
    expect(lines).toContainEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\tundefined\tINFO\tloading$/));
  });

  it('passes raw stdout writes through unformatted', async () => {
    const record = await sink.waitFor((r) => r.component === 'lambda:logging' && r.message === 'raw line');

    expect(record.level).toBe('info');
  });

  it('frames the invocation with START, END and REPORT', () => {
    const frame = lines.filter((line) => /^(START|END|REPORT) /.test(line));

    expect(frame).toEqual([
      `START RequestId: ${requestId} Version: $LATEST`,
      `END RequestId: ${requestId}`,
      expect.stringMatching(new RegExp(`^REPORT RequestId: ${requestId}\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms\tMemory Size: 128 MB\tMax Memory Used: \\d+ MB\tInit Duration: \\d+\\.\\d{2} ms$`)),
    ]);
  });

  it('says whether the start was cold or warm', () => {
    expect(lines).toContain(`cold start of logging (${requestId})`);
  });
});

describe('code that cannot load', () => {
  it('answers Runtime.HandlerNotFound when the export is missing', async () => {
    const result = await lambda.invoke('notExported', {}, 'RequestResponse');

    expect(result.error).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
  });

  it('answers Runtime.ImportModuleError when the handler file is missing', async () => {
    const result = await lambda.invoke('noFile', {}, 'RequestResponse');

    expect(result.error).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'index'" });
  });

  it('answers Runtime.ImportModuleError when a dependency was not bundled', async () => {
    const result = await lambda.invoke('missingDependency', {}, 'RequestResponse');

    expect(result.error).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringContaining("Cannot find module 'not-a-bundled-package'") });
  });

  it('answers Runtime.UserCodeSyntaxError for code that does not parse', async () => {
    const result = await lambda.invoke('syntaxError', {}, 'RequestResponse');

    expect(result.error).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError', errorMessage: expect.stringMatching(/^SyntaxError: /) });
  });

  it('ends the environment that failed to initialise', async () => {
    await lambda.invoke('notExported', {}, 'RequestResponse');
    await lambda.invoke('notExported', {}, 'RequestResponse');

    expect(sink.messages('lambda:notExported').filter((line) => line.startsWith('cold start'))).toHaveLength(3);
  });
});
