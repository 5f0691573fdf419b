// Sandbox cold boot: `npm start` (tsx sandbox/start.ts) spawned on port 0 with a fresh state directory, timed to
// its "Sandbox ready in" line. First with synth (fresh cdk.out), then twice with synth skipped (infra unchanged).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { READY_MARK } from '../sandbox/start/banner.ts';
import type { Bench, Row } from './results.ts';
import { ROOT, TSX } from './rig.ts';
import { median, now, round } from './stats.ts';

const LIMIT_S = 8;

/** Seconds from spawn to the ready line; the process (its own group) is then stopped with Ctrl-C. */
async function bootOnce(dir: string): Promise<number> {
  const started = now();
  const child = spawn(TSX, ['sandbox/start.ts', '--port', '0', '--state-dir', join(dir, 'state'), '--outputs', join(dir, 'amplify_outputs.json'), '--cdk-out', join(dir, 'cdk.out')], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    return await new Promise<number>((resolve, reject) => {
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
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGINT');
    await exited;
  }
}

export const boot: Bench = {
  name: 'boot',
  metric: 'sandbox cold boot, npm start to ready (installed)',
  goal: `<= ${LIMIT_S} s`,
  async run(context): Promise<Row[]> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-boot-'));
    try {
      context.progress('npm start with synth (fresh cdk.out and state)');
      const withSynth = await bootOnce(dir);
      context.progress('npm start twice more, synth skipped');
      const skipped = [await bootOnce(dir), await bootOnce(dir)];
      return [
        { bench: 'boot', metric: 'sandbox cold boot, npm start to ready, synth skipped', value: `${round(median(skipped), 2)} s`, goal: this.goal, meets: median(skipped) <= LIMIT_S, details: { runsS: skipped.map((v) => round(v, 2)) } },
        { bench: 'boot', metric: 'sandbox cold boot, npm start to ready, with synth', value: `${round(withSynth, 2)} s`, goal: this.goal, meets: withSynth <= LIMIT_S },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
