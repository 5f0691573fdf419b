// Event invocations: 202 at once, run in the background, retried on failure, then sent to the on-failure destination.
import { afterAll, describe, expect, it } from '@jest/globals';
import { createLogger } from '../../../../sandbox/log.ts';
import { LambdaService } from '../../../../sandbox/lambda/runtime.ts';
import type { LambdaError } from '../../../../sandbox/lambda/spec.ts';
import { FunctionFolders, recordingSink } from './functions.ts';

const folders = new FunctionFolders();
const sink = recordingSink();
const failures: { event: unknown; error: LambdaError }[] = [];
const logs = 'exports.handler = async (event) => { console.log("got", event.n); return "done"; };';
const fails = 'exports.handler = async () => { throw new Error("always"); };';
const functions = [
  folders.write('accepted', { 'index.js': logs }),
  folders.write('background', { 'index.js': logs }),
  folders.write('retried', { 'index.js': fails }),
  folders.write('destination', { 'index.js': fails }, { maxEventRetries: 1, onFailure: (event, error) => failures.push({ event, error }) }),
  folders.write('exhausted', { 'index.js': fails }, { maxEventRetries: 0 }),
  folders.write('brokenDestination', { 'index.js': fails }, { maxEventRetries: 0, onFailure: () => { throw new Error('destination down'); } }),
];
// No wait between retries, so the suite does not sleep; the sandbox's default is 1 s, then 2 s.
const lambda = new LambdaService({ functions, log: createLogger('lambda', sink), sandboxEnvironment: {}, eventRetryDelayMs: 0 });

const starts = (name: string): number => sink.messages(`lambda:${name}`).filter((line) => line.startsWith('START')).length;

afterAll(async () => {
  await lambda.stop();
  folders.remove();
});

describe('an Event invocation', () => {
  it('answers 202 with no payload', async () => {
    const result = await lambda.invoke('accepted', { n: 1 }, 'Event');
    await lambda.awaitIdle();

    expect(result).toEqual({ statusCode: 202 });
  });

  it('runs the function in the background', async () => {
    await lambda.invoke('background', { n: 7 }, 'Event');

    await lambda.awaitIdle();

    expect(sink.messages('lambda:background')).toContainEqual(expect.stringMatching(/\tINFO\tgot 7$/));
  });

  it('retries a failing function twice by default', async () => {
    await lambda.invoke('retried', {}, 'Event');

    await lambda.awaitIdle();

    expect(starts('retried')).toBe(3);
  });

  it('hands the event and the last error to onFailure once retries are exhausted', async () => {
    await lambda.invoke('destination', { n: 3 }, 'Event');

    await lambda.awaitIdle();

    expect(starts('destination')).toBe(2);
    expect(failures).toEqual([{ event: { n: 3 }, error: expect.objectContaining({ errorType: 'Error', errorMessage: 'always' }) }]);
  });

  it('logs an error once retries are exhausted', async () => {
    await lambda.invoke('exhausted', {}, 'Event');

    await lambda.awaitIdle();

    const errors = sink.records.filter((r) => r.component === 'lambda:exhausted' && r.level === 'error').map((r) => r.message);
    expect(errors).toContain('Event invocation failed after 0 retries: Error: always');
  });

  it('logs an onFailure destination that throws instead of crashing the sandbox', async () => {
    await lambda.invoke('brokenDestination', {}, 'Event');

    await lambda.awaitIdle();

    expect(sink.messages('lambda:brokenDestination')).toContain('Event invocation failed: Error: destination down');
  });
});
