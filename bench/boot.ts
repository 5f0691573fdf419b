// Sandbox boot: `npm start` (package.json's start script, its node command run directly) spawned on port 0, timed to its "Sandbox ready in" line, cold and
// warm side by side. Cold: a fresh state directory and cdk.out, so the synth cache (sandbox/start/synth-cache.ts) is
// empty and infra/ is synthesized. Warm: `npm start` again with the same directories, so the template comes from the
// cache. Three pairs, each cold run followed by its warm run, so both see the same machine load; medians of each.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READY_MARK } from '../sandbox/start/banner.ts';
import { startNodeArgs } from '../test/integration/sandbox/start/process.ts';
import type { Bench, Row } from './results.ts';
import { ROOT } from './rig.ts';
import { median, now, round } from './stats.ts';

/** The goals: to ready in <= 5 s when infra/ must be synthesized, <= 2.5 s when the template is cached. */
const COLD_LIMIT_S = 5;
const WARM_LIMIT_S = 2.5;
/** Cold and warm boots each. */
const RUNS = 3;

/** Seconds from spawn to the ready line and what it printed; the process (its own group) is then stopped with Ctrl-C. */
async function bootOnce(dir: string): Promise<{ seconds: number; output: string }> {
  const started = now();
  const child = spawn(process.execPath, [...startNodeArgs(ROOT), '--port', '0', '--state-dir', join(dir, 'state'), '--outputs', join(dir, 'amplify_outputs.json'), '--cdk-out', join(dir, 'cdk.out')], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    const seconds = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line after 60 s: ${output.slice(-300)}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes(READY_MARK)) {
          clearTimeout(timer);
          resolve((now() - started) / 1000);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
      });
      void exited.then(() => reject(new Error(`npm start exited before ready: ${output.slice(-300)}`)));
    });
    return { seconds, output };
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    await exited;
  }
}

/** One boot that must have taken its template the way the case says (the banner names it), else the figure is wrong. */
async function bootExpecting(dir: string, synth: RegExp): Promise<{ seconds: number; output: string }> {
  const booted = await bootOnce(dir);
  if (!synth.test(booted.output)) throw new Error(`expected the banner to say ${synth}: ${booted.output.slice(-300)}`);
  return booted;
}

/** The synth's own share of a cold boot, as the banner gives it: the part no change to the sandbox can shorten. */
const synthMs = (output: string): number => Number(/synthesized in (\d+) ms/.exec(output)?.[1] ?? Number.NaN);

const runsText = (runs: number[]): string => runs.map((v) => round(v, 2)).join(', ');

export const boot: Bench = {
  name: 'boot',
  metric: 'sandbox boot, npm start to ready, cold (synth) and warm (synth cache)',
  goal: `cold <= ${COLD_LIMIT_S} s, warm <= ${WARM_LIMIT_S} s`,
  async run(context): Promise<Row[]> {
    const cold: number[] = [];
    const coldSynthMs: number[] = [];
    const warm: number[] = [];
    for (let pair = 1; pair <= RUNS; pair += 1) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-boot-'));
      try {
        context.progress(`pair ${pair}/${RUNS}: npm start cold (empty state dir and cdk.out: synth), then warm (same dirs: synth cache)`);
        const coldBoot = await bootExpecting(dir, /Sandbox ready in .*synthesized in \d+ ms/);
        cold.push(coldBoot.seconds);
        coldSynthMs.push(synthMs(coldBoot.output));
        warm.push((await bootExpecting(dir, /Sandbox ready in .*template from the cache/)).seconds);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return [
      { bench: 'boot', metric: 'sandbox boot, npm start to ready, warm (template from the synth cache)', value: `${round(median(warm), 2)} s (runs ${runsText(warm)})`, goal: `<= ${WARM_LIMIT_S} s`, meets: median(warm) <= WARM_LIMIT_S, details: { runsS: warm.map((v) => round(v, 2)) } },
      { bench: 'boot', metric: 'sandbox boot, npm start to ready, cold (synth cache empty: synth)', value: `${round(median(cold), 2)} s (runs ${runsText(cold)})`, goal: `<= ${COLD_LIMIT_S} s`, meets: median(cold) <= COLD_LIMIT_S, details: { runsS: cold.map((v) => round(v, 2)), synthMs: coldSynthMs } },
    ];
  },
};
