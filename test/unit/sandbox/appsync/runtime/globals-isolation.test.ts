// The objects a run hands its code (util, extensions, runtime, console, the bindings of '@aws-appsync/utils' and
// '@aws-appsync/utils/dynamodb') are stand-ins made in the run's realm: code can't reach the sandbox process through
// them, nor leave anything on them that a later run sees. Without the stand-ins, each escape test fails.
import { describe, expect, it } from '@jest/globals';
import * as dynamodbModule from '../../../../../sandbox/appsync/runtime/module-utils-dynamodb.ts';
import { evaluateCode } from '../../../../../sandbox/appsync/runtime/evaluate.ts';
import { runtimeUtil } from '../../../../../sandbox/appsync/runtime/extensions.ts';
import { realmCounts } from '../../../../../sandbox/appsync/runtime/realm.ts';
import { newEvaluationState } from '../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../sandbox/appsync/runtime/util/index.ts';
import { timeUtil } from '../../../../../sandbox/appsync/runtime/util/time.ts';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };
const IMPORTS = "import { util as u, extensions as e, runtime as r } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\n";

function run(code: string) {
  return evaluateCode({ runtime, code: IMPORTS + code, context: JSON.stringify({ arguments: { id: '1' } }), function: 'request' });
}

function result(code: string): unknown {
  const response = run(code);
  if (response.evaluationResult === undefined) throw new Error(`no result: ${JSON.stringify(response.error)}`);
  return JSON.parse(response.evaluationResult) as unknown;
}

const REACHED = ['util', 'util.time', 'util.time.nowISO8601', 'util.error', 'util.dynamodb.toMapValues', 'extensions',
  'extensions.setSubscriptionFilter', 'runtime', 'runtime.earlyReturn', 'console', 'console.log', 'u', 'e', 'r', 'ddb',
  'ddb.get', 'ddb.operations', 'ddb.operations.add', 'ddb.get({ key: { id: 1 } })', 'util.time.nowISO8601()',
  '__appsync_import', '__appsync_import("@aws-appsync/utils")', '__appsync_import("unknown")'];

describe('the run globals and module bindings', () => {
  it.each(REACHED)('are no way into the sandbox process: %s\'s constructor\'s constructor makes no code from strings', (path) => {
    const response = run(`export function request(ctx) { return typeof (${path}).constructor.constructor("return process")(); }`);

    expect(response.evaluationResult).toBeUndefined();
    expect(response.error?.message).toMatch(/Code generation from strings disallowed/);
  });

  it('can\'t add properties to this process\'s Object.prototype, nor to the next run\'s', () => {
    const polluting = run('export function request(ctx) { util.constructor.prototype.polluted = "yes"; ddb.get.constructor.prototype.polluted2 = "yes"; return {}.polluted; }');
    const next = run('export function request(ctx) { return [{}.polluted ?? null, {}.polluted2 ?? null]; }');

    expect(polluting.evaluationResult).toBe('"yes"');
    expect((({}) as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((({}) as Record<string, unknown>)['polluted2']).toBeUndefined();
    expect(next.evaluationResult).toBe('[null,null]');
  });

  it('keep nothing a run writes on them for the runs after it, and leave this process\'s objects as they were', () => {
    const writing = run(`export function request(ctx) {
      util.leak = 1; util.time.leak = 2; ddb.get.leak = 3; ddb.leak = 4; runtime.leak = 5; extensions.leak = 6; console.log.leak = 7;
      util.time.nowISO8601 = () => 'forged'; ddb.operations.add = () => 'forged';
      return [util.time.leak, ddb.get.leak, runtime.leak];
    }`);
    const reading = result(`export function request(ctx) {
      return [util.leak ?? null, util.time.leak ?? null, ddb.get.leak ?? null, ddb.leak ?? null, runtime.leak ?? null, extensions.leak ?? null,
        console.log.leak ?? null, u.time.leak ?? null, r.leak ?? null, util.time.nowISO8601() === 'forged', ddb.operations.add(1).type];
    }`);

    expect(writing.evaluationResult).toBe('[2,3,5]');
    expect(reading).toEqual([null, null, null, null, null, null, null, null, null, false, 'OPERATION_ADD']);
    expect(Object.hasOwn(timeUtil, 'leak')).toBe(false);
    expect(Object.hasOwn(dynamodbModule.get, 'leak')).toBe(false);
    expect(Object.hasOwn(runtimeUtil, 'leak')).toBe(false);
    expect(timeUtil.nowISO8601()).not.toBe('forged');
  });

  it('list the names and kinds the host objects have, and are one object as a global and as an import', () => {
    const host = createUtil(newEvaluationState());
    const seen = result(`export function request(ctx) {
      return { util: Object.keys(util), time: Object.keys(util.time), ddb: Object.keys(ddb), same: [u === util, e === extensions, r === runtime],
        types: [typeof util, typeof util.time, typeof util.autoId, typeof ddb.get, typeof ddb.operations, typeof runtime.earlyReturn] };
    }`);

    expect(seen).toEqual({
      util: Object.keys(host), time: Object.keys(host.time), ddb: Object.keys(dynamodbModule), same: [true, true, true],
      types: ['object', 'object', 'function', 'function', 'object', 'function'],
    });
  });

  it('still end the run with util.error, util.unauthorized and runtime.earlyReturn, and locate a helper\'s error in the code', () => {
    expect(run('export function request(ctx) { util.error("boom", "Custom"); }').error).toEqual({ message: 'boom' });
    expect(run('export function request(ctx) { u.unauthorized(); }').error).toEqual({ message: 'Unauthorized' });
    expect(run('export function request(ctx) { runtime.earlyReturn({ done: ctx.args.id }); }').evaluationResult).toBe('{"done":"1"}');
    const failed = run('export function request(ctx) {\n  return util.time.parseISO8601ToEpochMilliSeconds("not a date");\n}');

    expect(failed.error?.codeErrors?.[0]?.location).toEqual({ line: 4, column: 20, span: -1 });
    expect(failed.error?.message).toMatch(/^UtilArgumentError: Text 'not a date' could not be parsed/);
    // A helper's error thrown deep in its own calls is still located: the stand-in's frames don't push the code's out of the stack.
    const deep = run('export function request(ctx) {\n  return util.transform.toSubscriptionFilter({ b: { in: [1, 2, 3, 4, 5, 6, 7] } });\n}');

    expect(deep.error?.codeErrors?.[0]?.location).toEqual({ line: 4, column: 25, span: -1 });
  });

  it('hand host functions to none of the code\'s functions: arrays and objects passed to a helper are copied first', () => {
    const response = run(`export function request(ctx) {
      const got = [];
      const steal = (check) => { got.push(typeof check === 'function' ? typeof check.constructor.constructor('return process')() : 'none'); return true; };
      Array.prototype.every = function (check) { return steal(check); };
      Array.prototype.map = function (check) { steal(check); return []; };
      const own = ['a'];
      own.every = function (check) { return steal(check); };
      own.map = function (check) { steal(check); return []; };
      own.filter = function (check) { steal(check); return []; };
      util.dynamodb.toStringSet(['a']); util.dynamodb.toStringSet(own); util.dynamodb.toList(own); ddb.toStringSet(own);
      util.dynamodb.toMapValues({ list: own, __proto__: { every(check) { return steal(check); } } });
      return got;
    }`);

    expect(response.evaluationResult).toBe('[]');
  });

  it('hand results back as the realm\'s values, and leave the realm clean for the next run', () => {
    run('export function request(ctx) { return util.dynamodb.toMapValues({ id: ctx.args.id }); }');
    const before = realmCounts();
    const response = run('export function request(ctx) { const item = util.dynamodb.toMapValues({ id: ctx.args.id }); item.id.extra = 1; return [item, util.time.nowEpochSeconds() > 0]; }');

    expect(JSON.parse(response.evaluationResult ?? 'null')).toEqual([{ id: { S: '1', extra: 1 } }, true]);
    expect(realmCounts().reused).toBe(before.reused + 1);
    expect(realmCounts().dropped).toBe(before.dropped);
  });
});
