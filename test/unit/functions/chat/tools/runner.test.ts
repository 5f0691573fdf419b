// The runner the tool loop calls: every failure becomes an is_error outcome the model reads, and nothing throws.
import { describe, expect, it } from '@jest/globals';
import { createToolRunner } from '../../../../../functions/chat/tools/runner.ts';
import { ToolError, type ServerTool, type ToolContext } from '../../../../../functions/chat/tools/types.ts';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.user-token.signature';

function context(overrides: Partial<ToolContext> = {}): ToolContext {
  return { owner: 'sub-1', userToken: TOKEN, graphqlUrl: 'http://127.0.0.1:1/graphql', signal: new AbortController().signal, now: () => 0, ...overrides };
}

function tool(name: string, run: ServerTool['run']): ServerTool {
  return {
    definition: { name, description: `the ${name} tool`, input_schema: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false } },
    run,
  };
}

const call = (name: string, input: unknown = {}): { id: string; name: string; input: unknown } => ({ id: 'toolu_1', name, input });

describe('the tool runner', () => {
  it('gives the definitions of its tools for the request', () => {
    const runner = createToolRunner([tool('a', () => Promise.resolve(1)), tool('b', () => Promise.resolve(2))]);

    expect(runner.definitions.map((d) => d.name)).toEqual(['a', 'b']);
  });

  it('returns what the tool resolves with', async () => {
    const runner = createToolRunner([tool('double', (input) => Promise.resolve({ twice: Number(input['n']) * 2 }))]);

    const outcome = await runner.run(call('double', { n: 4 }), context());

    expect(outcome).toEqual({ output: { twice: 8 }, isError: false });
  });

  it('answers an unknown tool with an error naming the tools there are', async () => {
    const runner = createToolRunner([tool('a', () => Promise.resolve(1))]);

    const outcome = await runner.run(call('rm_rf'), context());

    expect(outcome).toEqual({ output: { error: 'There is no tool named "rm_rf". The tools are: a.' }, isError: true });
  });

  it('does not run a tool whose input does not match its schema, and says what is wrong', async () => {
    let ran = false;
    const runner = createToolRunner([tool('a', () => {
      ran = true;
      return Promise.resolve(1);
    })]);

    const outcome = await runner.run(call('a', { n: 'x', m: 1 }), context());

    expect(ran).toBe(false);
    expect(outcome).toEqual({ output: { error: 'The input to a is not valid, so the tool was not run: n must be integer, not string; m is not an input this tool takes.' }, isError: true });
  });

  it('gives a ToolError\'s message as it is', async () => {
    const runner = createToolRunner([tool('a', () => Promise.reject(new ToolError('Nothing was found for that date.')))]);

    const outcome = await runner.run(call('a'), context());

    expect(outcome).toEqual({ output: { error: 'Nothing was found for that date.' }, isError: true });
  });

  it('gives any other error\'s message with the tool\'s name, never its stack', async () => {
    const runner = createToolRunner([tool('a', () => Promise.reject(new TypeError('x is not a function')))]);

    const outcome = await runner.run(call('a'), context());

    expect(outcome).toEqual({ output: { error: 'a failed: x is not a function' }, isError: true });
    expect(JSON.stringify(outcome)).not.toMatch(/ at |\.ts:\d+/);
  });

  it('turns a tool that throws before returning a promise into an error outcome', async () => {
    const runner = createToolRunner([tool('a', () => {
      throw new Error('synchronous');
    })]);

    const outcome = await runner.run(call('a'), context());

    expect(outcome).toEqual({ output: { error: 'a failed: synchronous' }, isError: true });
  });

  it('stops a run that outlasts the time limit and aborts the tool\'s signal', async () => {
    let aborted = false;
    const runner = createToolRunner([tool('slow', (_input, { signal }) => new Promise(() => {
      signal.addEventListener('abort', () => {
        aborted = true;
      });
    }))], { timeoutMs: 50, maxOutputChars: 1000 });

    const outcome = await runner.run(call('slow'), context());

    expect(outcome).toEqual({ output: { error: 'slow took longer than 0.05 s and was stopped.' }, isError: true });
    expect(aborted).toBe(true);
  });

  it('stops a run when the reply is stopped', async () => {
    const reply = new AbortController();
    const runner = createToolRunner([tool('wait', () => {
      reply.abort();
      return new Promise(() => undefined);
    })]);

    const outcome = await runner.run(call('wait'), context({ signal: reply.signal }));

    expect(outcome).toEqual({ output: { error: 'wait was stopped: the reply was stopped.' }, isError: true });
  });

  it('does not start a tool once the reply is stopped', async () => {
    const reply = new AbortController();
    reply.abort();
    let ran = false;
    const runner = createToolRunner([tool('a', () => {
      ran = true;
      return Promise.resolve(1);
    })]);

    const outcome = await runner.run(call('a'), context({ signal: reply.signal }));

    expect(ran).toBe(false);
    expect(outcome.isError).toBe(true);
  });

  it('refuses an output over the cap and says it was too large', async () => {
    const runner = createToolRunner([tool('big', () => Promise.resolve({ text: 'x'.repeat(200) }))], { timeoutMs: 1000, maxOutputChars: 100 });

    const outcome = await runner.run(call('big'), context());

    expect(outcome).toEqual({ output: { error: 'big returned 211 characters of JSON; the limit is 100. Ask for less (a smaller limit or a narrower input).' }, isError: true });
  });

  it('refuses an output that is not JSON', async () => {
    const runner = createToolRunner([tool('odd', () => Promise.resolve({ n: 1n }))]);

    const outcome = await runner.run(call('odd'), context());

    expect(outcome.isError).toBe(true);
    expect(outcome.output).toEqual({ error: expect.stringMatching(/^odd returned a value that is not JSON/) as unknown });
  });

  it('gives the output as plain JSON (dates as strings, undefined as null)', async () => {
    const runner = createToolRunner([tool('a', () => Promise.resolve({ at: new Date(0), gone: undefined })), tool('b', () => Promise.resolve(undefined))]);

    expect(await runner.run(call('a'), context())).toEqual({ output: { at: '1970-01-01T00:00:00.000Z' }, isError: false });
    expect(await runner.run(call('b'), context())).toEqual({ output: null, isError: false });
  });

  it('never lets the user\'s token into an outcome, an output or an error', async () => {
    const runner = createToolRunner([
      tool('leaky', (_input, { userToken }) => Promise.resolve({ header: `Authorization: ${userToken}` })),
      tool('loud', (_input, { userToken }) => Promise.reject(new Error(`refused ${userToken}`))),
    ]);

    const outputs = [await runner.run(call('leaky'), context()), await runner.run(call('loud'), context())];

    expect(JSON.stringify(outputs)).not.toContain(TOKEN);
    expect(outputs[0]).toEqual({ output: { header: 'Authorization: [redacted]' }, isError: false });
  });

  it('answers a malformed call with an error outcome instead of throwing', async () => {
    const runner = createToolRunner([tool('a', () => Promise.resolve(1))]);

    const outcome = await runner.run(call('a'), undefined as unknown as ToolContext);

    expect(outcome.isError).toBe(true);
  });
});
