// Realms are reused between runs, so each test runs code that changes its realm, then runs code in the
// realm the next run gets: nothing the first run did may show, as on AppSync where every run is fresh.
import { describe, expect, it } from '@jest/globals';
import { evaluateCode } from '../../../../../sandbox/appsync/runtime/evaluate.ts';
import { realmCounts } from '../../../../../sandbox/appsync/runtime/realm.ts';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };

function resultOf(body: string): unknown {
  const response = evaluateCode({ runtime, code: `export function request(ctx) { ${body} }`, context: '{}' });
  expect(response.error).toBeUndefined();
  return JSON.parse(response.evaluationResult ?? 'undefined') as unknown;
}

describe('realm reuse', () => {
  it('reuses the realm of a run that changed nothing', () => {
    resultOf('return [1, 2].map((n) => n * 2);');
    const before = realmCounts();

    resultOf('return JSON.stringify({ a: Math.max(1, 2) });');

    expect(realmCounts().reused).toBe(before.reused + 1);
    expect(realmCounts().dropped).toBe(before.dropped);
  });

  it('drops the realm of a run that changed a built-in', () => {
    const before = realmCounts();

    resultOf('Array.prototype.leak = 1; return null;');

    expect(realmCounts().dropped).toBe(before.dropped + 1);
  });
});

describe('no state leaks between runs', () => {
  it.each([
    ['a global', 'globalThis.leak = "x";', 'return globalThis.leak ?? null;', null],
    ['a property of a built-in prototype', 'Array.prototype.leak = "x";', 'return [].leak ?? null;', null],
    ['a replaced built-in method', 'JSON.stringify = Math.max;', 'return JSON.stringify({ a: 1 });', '{"a":1}'],
    ['a deleted built-in', 'delete Math.max;', 'return typeof Math.max;', 'function'],
    ['a property of a built-in function', 'Math.max.leak = "x";', 'return Math.max.leak ?? null;', null],
    ['a deleted function name', 'delete Math.max.name;', 'return Math.max.name;', 'max'],
    ['an element pushed onto Array.prototype', 'Array.prototype.push("x");', 'return Array.prototype.length;', 0],
    ['a property of a prototype no global names', '[][Symbol.iterator]().__proto__.leak = "x";', 'return [][Symbol.iterator]().leak ?? null;', null],
    ['a changed prototype', 'Math.__proto__ = null;', 'return typeof Math.hasOwnProperty;', 'function'],
    ['a getter defined over a built-in', 'Math.__defineGetter__("max", Math.random);', 'return typeof Math.max;', 'function'],
    ['Error.stackTraceLimit', 'Error.stackTraceLimit = 1;', 'return Error.stackTraceLimit;', 10],
    ['a stack captured onto a built-in', 'Error.captureStackTrace(Math);', 'return Object.hasOwn(Math, "stack");', false],
    ['the last RegExp match', 'new RegExp("(b)").exec("abc");', 'return RegExp.$1 + RegExp.lastMatch + RegExp.input;', ''],
    ['a replaced run global', 'util = null; console = null;', 'return [typeof util.autoId, typeof console.log];', ['function', 'function']],
    ['a property of a constructor reached from a literal, no global named', '[].constructor.leak = "x";', 'return [].constructor.leak ?? null;', null],
    ['a property of Function, reached from a function', '(() => 0).constructor.leak = "x";', 'return (() => 0).constructor.leak ?? null;', null],
    ['a property of a static method reached from a literal', '({}).constructor.keys.leak = "x";', 'return Object.keys.leak ?? null;', null],
    ['a property of the iterator helpers\' prototype', '[][Symbol.iterator]().map((x) => x).__proto__.leak = "x";', 'return [][Symbol.iterator]().map((x) => x).leak ?? null;', null],
    ['a property of Iterator.from\'s wrappers\' prototype', 'Iterator.from({ next: () => ({ done: true }) }).__proto__.leak = "x";', 'return Iterator.from({ next: () => ({ done: true }) }).leak ?? null;', null],
  ])('does not let %s leak', (_what, change, read, fresh) => {
    resultOf(`${change} return null;`);

    expect(resultOf(read)).toEqual(fresh);
  });

  it('has no Array.fromAsync, whose promise would read its input after the run is over', () => {
    expect(resultOf('return typeof [].constructor.fromAsync;')).toBe('undefined');
  });

  it('gives code that names no global no method that hands out a symbol, an iterator or a promise (what realm.ts checks after it relies on this)', () => {
    const methods = resultOf(`const o = ({}).constructor; const a = []; return [o.getOwnPropertySymbols, o.getOwnPropertyDescriptors,
      o.getOwnPropertyDescriptor, a.keys, a.values, a.entries, a.constructor.from, a.constructor.fromAsync, ''.matchAll].map((m) => typeof m);`);

    expect(methods).toEqual(Array(9).fill('undefined'));
  });

  it('gives each run its own module-level state in a reused realm', () => {
    const code = 'const seen = [];\nexport function request() { seen.push(1); return seen.length; }';

    const runs = [1, 2].map(() => evaluateCode({ runtime, code, context: '{}' }).evaluationResult);

    expect(runs).toEqual(['1', '1']);
  });
});
