// `npm run bench [-- <name>...] [--out FILE]`: which benchmarks to run and where the results go. By default they go to
// .bench/results.json, which .gitignore lists, so a run never changes a committed file; --out FILE (relative to the
// folder npm was run from) chooses another. Kept apart from run.ts so it can be tested without running a benchmark.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The repository this file belongs to. */
const ROOT = join(import.meta.dirname, '..');

/** Where the results go when --out is not given: ignored by git (.gitignore's `.bench/`). */
export const DEFAULT_RESULTS_PATH = join(ROOT, '.bench', 'results.json');

export interface BenchArgs {
  /** The benchmarks named on the command line, in the order given; empty means all of them. */
  names: string[];
  /** The absolute path of the results file. */
  out: string;
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

/** Parses argv (without node and the script); throws BenchUsageError on an unknown flag or benchmark name. */
export function parseBenchArgs(argv: readonly string[], known: readonly string[], cwd = process.cwd()): BenchArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { out: { type: 'string' } } });
  } catch (error) {
    throw new BenchUsageError(error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error));
  }
  const { values, positionals } = parsed;
  const unknown = positionals.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new BenchUsageError(`unknown benchmark ${unknown.join(', ')}; pick from: ${known.join(', ')}`);
  if (values.out === '') throw new BenchUsageError('--out needs a file name');
  return { names: positionals, out: values.out === undefined ? DEFAULT_RESULTS_PATH : resolve(cwd, values.out) };
}
