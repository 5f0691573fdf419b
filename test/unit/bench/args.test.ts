// `npm run bench`'s flags (bench/args.ts): results go where git ignores them unless --out names a file.
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { BenchUsageError, DEFAULT_RESULTS_PATH, parseBenchArgs } from '../../../bench/args.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const BENCHES = ['publishes', 'boot', 'fanout'];

/** git's own answer to "would `git add` skip this path?" (exit 0: ignored, 1: not ignored, which a tracked file always is). */
function ignoredByGit(path: string): boolean {
  try {
    execFileSync('git', ['check-ignore', '--quiet', relative(REPO, path)], { cwd: REPO, stdio: 'ignore' });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 1) return false;
    throw error;
  }
}

describe('npm run bench flags', () => {
  it('writes to .bench/results.json in the repository by default', () => {
    const args = parseBenchArgs([], BENCHES, '/somewhere/else');

    expect(args).toEqual({ names: [], out: join(REPO, '.bench', 'results.json') });
  });

  it('writes by default to a path git ignores, so a run changes no committed file', () => {
    expect(ignoredByGit(DEFAULT_RESULTS_PATH)).toBe(true);
    expect(ignoredByGit(join(REPO, 'bench', 'results.json'))).toBe(false);
  });

  it('writes to the file --out names, relative to the folder npm was run from', () => {
    const args = parseBenchArgs(['boot', '--out', 'runs/boot.json'], BENCHES, '/work/elsewhere');

    expect(args).toEqual({ names: ['boot'], out: '/work/elsewhere/runs/boot.json' });
  });

  it('takes an absolute --out as given, in the --out=FILE form too', () => {
    expect(parseBenchArgs(['--out=/tmp/bench.json', 'fanout', 'publishes'], BENCHES, '/work').out).toBe('/tmp/bench.json');
  });

  it('keeps the benchmarks named, in order', () => {
    expect(parseBenchArgs(['fanout', 'publishes'], BENCHES).names).toEqual(['fanout', 'publishes']);
  });

  it('refuses an unknown benchmark, naming the ones there are', () => {
    expect(() => parseBenchArgs(['bootz'], BENCHES)).toThrow(new BenchUsageError('unknown benchmark bootz; pick from: publishes, boot, fanout'));
  });

  it('refuses an unknown flag and an --out without a file', () => {
    expect(() => parseBenchArgs(['--output', 'x.json'], BENCHES)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--out'], BENCHES)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--out='], BENCHES)).toThrow('--out needs a file name');
  });
});
