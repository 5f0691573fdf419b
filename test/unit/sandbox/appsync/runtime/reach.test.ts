// What a bundle names decides what its realm checks after a run (realm.ts): a global it names, even as a property
// name, is counted; `globalThis` (or syntax AppSync refuses) means the whole realm.
import { describe, expect, it } from '@jest/globals';
import { parseModule } from '../../../../../sandbox/appsync/runtime/check.ts';
import { namedGlobals } from '../../../../../sandbox/appsync/runtime/reach.ts';
import { realmGlobalNames } from '../../../../../sandbox/appsync/runtime/realm.ts';

function globalsOf(code: string): string[] | null {
  const program = parseModule(code);
  if ('errorType' in program) throw new Error(program.value);
  return namedGlobals(program, realmGlobalNames());
}

describe('namedGlobals', () => {
  it('lists the globals the code names, and no local names', () => {
    expect(globalsOf('const n = 1; export function request(ctx) { return JSON.stringify(Math.max(n, ctx.args.x)); }')).toEqual(['JSON', 'Math']);
  });

  it('counts a global\'s name used as a property name', () => {
    expect(globalsOf('export function request(ctx) { return ctx.args.Math; }')).toEqual(['Math']);
  });

  it('lists none for code that names no global', () => {
    expect(globalsOf('export function request(ctx) { return [].constructor.keys(ctx.args); }')).toEqual([]);
  });

  it('takes code that names globalThis to reach everything', () => {
    expect(globalsOf('export function request() { return globalThis.Math; }')).toBeNull();
  });

  it('takes async code to reach everything', () => {
    expect(globalsOf('export async function request() { return 1; }')).toBeNull();
  });
});
