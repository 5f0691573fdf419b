// The context a handler gets is made in its own realm, as AppSync gives each request its own: code can't reach the
// sandbox process through it, nor change objects that later requests share. Without the copy, each test fails.
import { describe, expect, it } from '@jest/globals';
import { evaluateCode } from '../../../../../sandbox/appsync/runtime/evaluate.ts';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

function run(code: string, context: Record<string, unknown> = { arguments: { id: '1' } }) {
  return evaluateCode({ runtime, code, context: JSON.stringify(context), function: 'request' });
}

describe('the context a handler gets', () => {
  it('is not a way into the sandbox process: its constructor\'s constructor makes no code from strings', () => {
    const response = run('export function request(ctx) { return typeof ctx.constructor.constructor("return process")(); }');

    expect(response.evaluationResult).toBeUndefined();
    expect(response.error?.message).toMatch(/Code generation from strings disallowed/);
  });

  it('can\'t add properties to the objects of this process or of the next request through __proto__', () => {
    const polluting = run('export function request(ctx) { ctx.args.__proto__.polluted = "yes"; return ctx.args.polluted; }');
    const next = run('export function request(ctx) { return ctx.args.polluted ?? null; }');

    expect(polluting.evaluationResult).toBe('"yes"');
    expect((({}) as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(next.evaluationResult).toBe('null');
  });

  it('keeps args and arguments one object, and hands back the stash the handler wrote', () => {
    const response = run('export function request(ctx) { ctx.args.seen = true; ctx.stash.step = ctx.arguments.seen; return ctx.args === ctx.arguments; }', { arguments: { id: '1' }, stash: { before: 1 } });

    expect(response.evaluationResult).toBe('true');
    expect(JSON.parse(response.stash ?? '{}')).toEqual({ before: 1, step: true });
  });
});
