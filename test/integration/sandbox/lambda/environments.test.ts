// Execution environments: cold and warm starts, concurrency, timeouts, crashes, code updates and shutdown.
import { afterAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../../sandbox/log.ts';
import { LambdaService, runtimeMismatch, ServiceStoppedError } from '../../../../sandbox/lambda/runtime.ts';
import { FunctionFolders, recordingSink } from './functions.ts';

const folders = new FunctionFolders();
const sink = recordingSink();
// Answers its environment's log stream name: one stream per environment, so equal names mean a reused environment.
const stream = [
  'exports.handler = async (event) => {',
  '  if (event.loop) while (true) {}',
  '  if (event.crashLater) setImmediate(() => { throw new Error("late"); });',
  '  if (event.waitFor) await new Promise((resolve) => {',
  '    const channel = new BroadcastChannel(event.waitFor);',
  '    channel.onmessage = () => { channel.close(); resolve(); };',
  '    console.log("waiting");',
  '  });',
  '  return process.env.AWS_LAMBDA_LOG_STREAM_NAME;',
  '};',
].join('\n');
const names = ['warm', 'report', 'concurrent', 'timeout', 'timeoutRetired', 'timeoutLog', 'crash', 'updated', 'busyUpdate'];
const functions = names.map((name) => folders.write(name, { 'index.js': stream }, { timeoutSeconds: name.startsWith('timeout') ? 1 : 3 }));
functions.push(
  folders.write('rejects', { 'index.js': 'exports.handler = () => new Promise(() => { Promise.reject(new Error("lost")); });' }),
  folders.write('exits', { 'index.js': 'exports.handler = async () => process.exit(2);' }),
  folders.write('version', { 'index.js': 'exports.handler = async () => process.versions.node;' }),
);
const lambda = new LambdaService({ functions, log: createLogger('lambda', sink), sandboxEnvironment: {} });

const invoke = async (name: string, event: object = {}): Promise<unknown> => (await lambda.invoke(name, event, 'RequestResponse')).payload;
const lines = (name: string, prefix: string): string[] => sink.messages(`lambda:${name}`).filter((line) => line.startsWith(prefix));
const requestIds = (name: string): string[] => lines(name, 'START').map((line) => line.split(' ')[2] ?? '');

afterAll(async () => {
  await lambda.stop();
  folders.remove();
});

describe('execution environments', () => {
  it('reuses the environment of a finished invocation', async () => {
    const first = await invoke('warm');
    const second = await invoke('warm');

    expect(second).toBe(first);
    expect(lines('warm', 'warm start')).toHaveLength(1);
  });

  it('reports Init Duration only for the cold start', async () => {
    await invoke('report');
    await invoke('report');

    const reports = lines('report', 'REPORT');
    expect(reports.map((line) => line.includes('\tInit Duration: '))).toEqual([true, false]);
  });

  it('gives concurrent invocations separate environments', async () => {
    const streams = await Promise.all([invoke('concurrent'), invoke('concurrent')]);

    expect(new Set(streams).size).toBe(2);
    expect(lines('concurrent', 'cold start')).toHaveLength(2);
  });

  it('answers an invocation past its timeout as Lambda does', async () => {
    const result = await lambda.invoke('timeout', { loop: true }, 'RequestResponse');

    const [requestId] = requestIds('timeout');
    expect(result).toEqual({
      statusCode: 200,
      functionError: 'Unhandled',
      payload: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds` },
      error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds` },
    });
  });

  it('replaces the environment that timed out', async () => {
    const before = await invoke('timeoutRetired');
    await invoke('timeoutRetired', { loop: true });
    const after = await invoke('timeoutRetired');

    expect(after).not.toBe(before);
    expect(lines('timeoutRetired', 'cold start')).toHaveLength(2);
  });

  it('logs a timeout in the REPORT line and as "Task timed out"', async () => {
    await invoke('timeoutLog', { loop: true });

    const [requestId] = requestIds('timeoutLog');

    expect(lines('timeoutLog', `REPORT RequestId: ${requestId}`)[0]).toMatch(/\tStatus: timeout$/);
    expect(sink.messages('lambda:timeoutLog')).toContainEqual(expect.stringMatching(new RegExp(`Z ${requestId} Task timed out after 1\\.00 seconds$`)));
  });

  it('survives an error thrown after the handler returned, and starts cold next', async () => {
    const before = await invoke('crash', { crashLater: true });
    await sink.waitFor((r) => r.component === 'lambda:crash' && r.message === 'execution environment exited with status 129');
    const after = await invoke('crash');

    expect(after).not.toBe(before);
    expect(sink.messages('lambda:crash')).toContainEqual(expect.stringMatching(/\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"late"/));
  });

  it('answers an unhandled rejection during the invocation as Runtime.UnhandledPromiseRejection', async () => {
    const result = await lambda.invoke('rejects', {}, 'RequestResponse');

    expect(result.error).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: lost' });
  });

  it('answers a handler that exits the process as Runtime.ExitError', async () => {
    const result = await lambda.invoke('exits', {}, 'RequestResponse');

    const [requestId] = requestIds('exits');
    expect(result.error).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 2` });
  });
});

describe('the Node.js runtime', () => {
  it('runs a nodejs22.x function on Node 22, as Lambda does (npm\'s scripts run the project\'s Node 22)', async () => {
    const version = await invoke('version');

    expect(String(version).split('.')[0]).toBe('22');
    expect(sink.messages('lambda:version').filter((line) => line.startsWith('declares'))).toEqual([]);
  });

  it('names the mismatch when a function declares another Node.js than the one running it', () => {
    expect(runtimeMismatch('nodejs20.x', '22.23.3')).toBe('declares nodejs20.x but runs on Node 22.23.3 here: start the sandbox through npm (npm start, npm test) to run the project\'s Node 20');
    expect(runtimeMismatch('nodejs22.x', '22.23.3')).toBeNull();
    expect(runtimeMismatch('python3.13', '22.23.3')).toBeNull();
  });
});

describe('update()', () => {
  it('makes the next invocation run the new code in a cold environment', async () => {
    await invoke('updated');

    lambda.update(folders.write('updated', { 'index.js': 'exports.handler = async () => "new code";' }));
    const result = await invoke('updated');

    expect(result).toBe('new code');
    expect(lines('updated', 'cold start')).toHaveLength(2);
  });

  it('lets a busy environment finish on the old code, then retires it', async () => {
    const busy = invoke('busyUpdate', { waitFor: 'busyUpdate' });
    await sink.waitFor((r) => r.component === 'lambda:busyUpdate' && r.message.endsWith('\tINFO\twaiting'));
    const live = lambda.liveEnvironments;

    lambda.update(folders.write('busyUpdate', { 'index.js': 'exports.handler = async () => "new code";' }));
    const release = new BroadcastChannel('busyUpdate');
    release.postMessage('go');
    const old = await busy;
    release.close();

    expect(old).toEqual(expect.stringContaining('[$LATEST]'));
    expect(lambda.liveEnvironments).toBe(live - 1);
  });
});

describe('stop()', () => {
  it('terminates every environment', async () => {
    const own = new LambdaService({ functions: [folders.write('stopped', { 'index.js': stream })], log: createLogger('lambda', sink), sandboxEnvironment: {} });
    await Promise.all([own.invoke('stopped', {}, 'RequestResponse'), own.invoke('stopped', {}, 'RequestResponse')]);

    await own.stop();

    expect(own.liveEnvironments).toBe(0);
  });

  it('refuses invocations afterwards', async () => {
    const own = new LambdaService({ functions: [folders.write('refused', { 'index.js': stream })], log: createLogger('lambda', sink), sandboxEnvironment: {} });
    await own.stop();

    const invocation = own.invoke('refused', {}, 'RequestResponse');

    await expect(invocation).rejects.toThrow(ServiceStoppedError);
  });
});
