// evaluateCode runs handlers as AppSync does: isolated globals, util/runtime/extensions, the
// dynamodb module, and EvaluateCode's response shape for results, errors and refusals.
import { describe, expect, it } from '@jest/globals';
import { BadRequestError, evaluateCode, type EvaluateCodeRequest } from '../../../../../sandbox/appsync/runtime/evaluate.ts';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

function evaluate(code: string, context: object = {}, fn: 'request' | 'response' = 'request'): ReturnType<typeof evaluateCode> {
  return evaluateCode({ runtime, code, context: JSON.stringify(context), function: fn });
}

function resultOf(code: string, context: object = {}, fn: 'request' | 'response' = 'request'): unknown {
  const response = evaluate(code, context, fn);
  expect(response.error).toBeUndefined();
  return JSON.parse(response.evaluationResult ?? 'undefined') as unknown;
}

describe('evaluateCode', () => {
  it('returns the request handler\'s DynamoDB request as a JSON string (the getPost example)', () => {
    const code = `
      import * as ddb from '@aws-appsync/utils/dynamodb';
      export function request(ctx) { return ddb.get({ key: { id: ctx.args.id } }); }
      export function response(ctx) { return ctx.result; }`;

    const response = evaluate(code, { arguments: { id: 'post-1' } });

    expect(JSON.parse(response.evaluationResult ?? '')).toEqual({ operation: 'GetItem', key: { id: { S: 'post-1' } } });
    expect(response.logs).toEqual([]);
  });

  it('runs the response handler on ctx.result', () => {
    const code = 'export function request(ctx) { return {}; }\nexport function response(ctx) { return { ...ctx.result, seen: true }; }';

    expect(resultOf(code, { result: { id: 1 } }, 'response')).toEqual({ id: 1, seen: true });
  });

  it('evaluates request when no function is named', () => {
    const response = evaluateCode({ runtime, code: 'export function request() { return 7; }', context: '{}' });

    expect(response.evaluationResult).toBe('7');
  });

  it('passes the same ctx.args and ctx.arguments, and the stash back out', () => {
    const code = 'export function request(ctx) { ctx.stash.same = ctx.args === ctx.arguments; ctx.stash.n = ctx.args.n; return null; }';

    const response = evaluate(code, { arguments: { n: 3 }, stash: { kept: 'yes' } });

    expect(JSON.parse(response.stash ?? '')).toEqual({ kept: 'yes', same: true, n: 3 });
    expect(response.evaluationResult).toBe('null');
  });

  it('reports util.error as the error message', () => {
    const code = `import { util } from '@aws-appsync/utils';
      export function request(ctx) { util.error('Post not found', 'NotFound'); }`;

    const response = evaluate(code);

    expect(response.error).toEqual({ message: 'Post not found' });
    expect(response.evaluationResult).toBeUndefined();
  });

  it('reports util.appendError entries in outErrors and still returns the result', () => {
    const code = `import { util } from '@aws-appsync/utils';
      export function request(ctx) { util.appendError('partial', 'Partial', { a: 1 }, { why: 'x' }); return 1; }`;

    const response = evaluate(code);

    expect(response.evaluationResult).toBe('1');
    expect(JSON.parse(response.outErrors ?? '')).toEqual([{ message: 'partial', errorType: 'Partial', data: { a: 1 }, errorInfo: { why: 'x' } }]);
  });

  it('reports util.unauthorized as Unauthorized', () => {
    const code = `import { util } from '@aws-appsync/utils';
      export function request(ctx) { return util.unauthorized(); }`;

    expect(evaluate(code).error).toEqual({ message: 'Unauthorized' });
  });

  it('returns the early-return value of runtime.earlyReturn', () => {
    const code = `import { runtime } from '@aws-appsync/utils';
      export function request(ctx) { runtime.earlyReturn({ cached: true }); return { never: true }; }`;

    expect(resultOf(code)).toEqual({ cached: true });
  });

  it('refuses a skipTo other than END or NEXT', () => {
    const code = `import { runtime } from '@aws-appsync/utils';
      export function request(ctx) { runtime.earlyReturn(1, { skipTo: 'START' }); }`;

    expect(evaluate(code).error?.message).toContain("skipTo must be 'END' or 'NEXT'");
  });

  it('gives a runtime error with its line and column', () => {
    const code = 'export function request(ctx) {\n  return ctx.args.missing.deeper;\n}';

    const response = evaluate(code);

    expect(response.error?.message).toMatch(/^TypeError: Cannot read properties of undefined/);
    expect(response.error?.codeErrors?.[0]).toMatchObject({ errorType: 'RUNTIME_ERROR', location: { line: 2, column: 27 } });
  });

  it('says when the named handler is not exported', () => {
    expect(evaluate('export function request() { return 1; }', {}, 'response').error?.message).toBe("The code does not export a 'response' function.");
  });

  it('returns codeErrors instead of running refused code', () => {
    const code = 'export function request(ctx) {\n  let i = 0;\n  while (i < 1) { i += 1; }\n  return i;\n}';

    const response = evaluate(code);

    expect(response).toEqual({
      error: { message: 'The code contains errors.', codeErrors: [{ errorType: 'LINT_ERROR', value: 'While statements are not supported.', location: { line: 3, column: 3, span: 25 } }] },
      logs: [],
    });
  });

  it('records console.log lines in logs', () => {
    const code = 'export function request(ctx) { console.log("hello", { n: 1 }); console.error("bad"); return 1; }';

    expect(evaluate(code).logs).toEqual(['INFO - code.js: hello {"n":1}', 'ERROR - code.js: bad']);
  });

  it('supports export lists, aliases and default-free bundles as esbuild writes them', () => {
    const code = 'import { util as u } from "@aws-appsync/utils";\nfunction request(ctx) { return u.base64Encode("hi"); }\nfunction response(ctx) { return ctx.result; }\nexport {\n  request,\n  response\n};';

    expect(resultOf(code)).toBe('aGk=');
  });

  it('answers util.authType from the identity in the context', () => {
    const code = `import { util } from '@aws-appsync/utils';
      export function request(ctx) { return util.authType(); }`;

    expect(resultOf(code, { identity: { sub: 'u', issuer: 'i', claims: {}, groups: null, defaultAuthStrategy: 'ALLOW' } })).toBe('User Pool Authorization');
    expect(resultOf(code, { identity: { accountId: '1', userArn: 'arn' } })).toBe('IAM Authorization');
    expect(resultOf(code, {})).toBe('API Key Authorization');
  });

  it('drops undefined properties and functions from the result as AppSync serializes it', () => {
    expect(resultOf('export function request() { return { a: undefined, b: 1, c: [undefined] }; }')).toEqual({ b: 1, c: [null] });
  });
});

describe('the runtime sandbox', () => {
  it.each(['process', 'require', 'fetch', 'setTimeout', 'setInterval', 'Buffer', 'globalThis.process', 'Promise', 'Reflect', 'Proxy', 'WebAssembly', 'eval'])('has no %s', (name) => {
    const code = `export function request() { return typeof ${name}; }`;

    // Promise is refused at load; the others simply don't exist.
    const response = evaluate(code);
    if (response.error) expect(response.error.codeErrors?.[0]?.value).toBe('Promise is not supported');
    else expect(response.evaluationResult).toBe('"undefined"');
  });

  it.each([
    ['"abc".padStart(5)'], ['"ab".repeat(2)'], ['Array.from([1])'], ['Object.freeze({})'], ['[1].values()'], ['new Date(0).setFullYear(2000)'],
  ])('lacks the method AppSync does not implement: %s', (expression) => {
    const response = evaluate(`export function request() { return ${expression}; }`);

    expect(response.error?.message).toMatch(/^TypeError: .* is not a function/);
  });

  it('keeps the built-ins AppSync documents', () => {
    const code = `export function request() {
      return [JSON.stringify({ a: 1 }), Math.max(1, 2), Object.keys({ x: 1 }), Object.hasOwn({ y: 1 }, 'y'), 'a-b'.split('-'), Number.parseInt('42'), [3, 1, 2].sort(), new Date(0).toISOString(), 'Abc'.toLowerCase()];
    }`;

    expect(resultOf(code)).toEqual(['{"a":1}', 2, ['x'], true, ['a', 'b'], 42, [1, 2, 3], '1970-01-01T00:00:00.000Z', 'abc']);
  });

  it('does not share module state between evaluations', () => {
    const code = 'let calls = 0;\nexport function request() { calls += 1; return calls; }';

    expect([resultOf(code), resultOf(code)]).toEqual([1, 1]);
  });

  it('cannot build code from strings', () => {
    const response = evaluate('export function request() { return [].constructor.constructor("return 1")(); }');

    expect(response.error?.message).toMatch(/EvalError: Code generation from strings disallowed/);
  });
});

describe('evaluateCode input validation', () => {
  const valid: EvaluateCodeRequest = { runtime, code: 'export function request() { return 1; }', context: '{}' };

  it.each([
    [{ ...valid, runtime: { name: 'VTL', runtimeVersion: '1.0.0' } }, /runtime name must be APPSYNC_JS/],
    [{ ...valid, runtime: { name: 'APPSYNC_JS', runtimeVersion: '2.0.0' } }, /runtimeVersion must be 1.0.0/],
    [{ ...valid, function: 'handler' }, /function must be 'request' or 'response'/],
    [{ ...valid, context: '{not json' }, /context is not valid JSON/],
    [{ ...valid, context: '[1]' }, /context must be a JSON object/],
  ])('refuses a bad request with BadRequestException (%#)', (request, message) => {
    expect(() => evaluateCode(request)).toThrow(BadRequestError);
    expect(() => evaluateCode(request)).toThrow(message);
  });
});
