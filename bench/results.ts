// What a benchmark returns (rows with a goal and whether they meet it), the table printed at the end and
// the results file (.bench/results.json unless --out names another). Benchmarks report; they never fail anything.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cpus } from 'node:os';
import type { Rig } from './rig.ts';

export interface Row {
  bench: string;
  metric: string;
  value: string;
  goal: string;
  /** null when the row could not be measured. */
  meets: boolean | null;
  details?: Record<string, unknown>;
}

export interface BenchContext {
  /** The shared product sandbox, started on first use. */
  rig(): Promise<Rig>;
  progress(line: string): void;
}

export interface Bench {
  name: string;
  /** The main row's metric and goal, also shown when the benchmark could not run. */
  metric: string;
  goal: string;
  run(context: BenchContext): Promise<Row[]>;
}

export function unmeasured(bench: string, metric: string, goal: string, why: string): Row {
  return { bench, metric, value: `not measured: ${why}`, goal, meets: null };
}

const verdict = (meets: boolean | null): string => (meets === null ? '—' : meets ? 'yes' : 'NO');

export function tableText(rows: readonly Row[]): string {
  const header = ['metric', 'measured', 'goal', 'meets'];
  const cells = rows.map((row) => [row.metric, row.value, row.goal, verdict(row.meets)]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => (line[i] ?? '').length)));
  const line = (values: string[]): string => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

interface ResultsFile {
  date: string;
  machine: { node: string; cpus: number; cpuModel: string };
  rows: Row[];
}

/** Writes the rows; rows of benchmarks not run this time are kept from the previous file. */
export function writeResults(path: string, rows: readonly Row[]): void {
  const ran = new Set(rows.map((row) => row.bench));
  const previous = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ResultsFile).rows : [];
  const file: ResultsFile = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
    rows: [...previous.filter((row) => !ran.has(row.bench)), ...rows],
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
