// `npm run bench [-- <name>...] [--out FILE]`: runs the benchmarks one after another, each bounded, prints progress
// and a table, and writes the rows to FILE (default .bench/results.json, which git ignores, so a run never dirties the
// tree; bench/args.ts reads the flags). It reports; it never fails on a missed goal.
import { BenchUsageError, parseBenchArgs } from './args.ts';
import { boot } from './boot.ts';
import { bundle } from './bundle.ts';
import { fanout } from './fanout.ts';
import { firstToken } from './first-token.ts';
import { publishes } from './publishes.ts';
import { queryThroughput } from './query-throughput.ts';
import { relayLag } from './relay-lag.ts';
import { unmeasured, tableText, writeResults, type Bench, type BenchContext, type Row } from './results.ts';
import { startRig, type Rig } from './rig.ts';
import { now, round } from './stats.ts';
import { thinkingPublishes } from './thinking-publishes.ts';
import { thinkingRelayLag } from './thinking-relay-lag.ts';
import { toolLoop } from './tool-loop.ts';
import { writes } from './writes.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BENCHES: Bench[] = [publishes, thinkingPublishes, writes, relayLag, thinkingRelayLag, firstToken, toolLoop, bundle, boot, queryThroughput, fanout];
const LIMIT_MS = 120_000;

let args;
try {
  // npm runs the script from the package's folder; INIT_CWD is where `npm run bench` was typed, which --out is relative to.
  args = parseBenchArgs(process.argv.slice(2), BENCHES.map((b) => b.name), process.env.INIT_CWD ?? process.cwd());
} catch (error) {
  if (!(error instanceof BenchUsageError)) throw error;
  process.stderr.write(`npm run bench: ${error.message}\n`);
  process.exit(2);
}
const { names, out: path } = args;
const chosen = names.length === 0 ? BENCHES : BENCHES.filter((b) => names.includes(b.name));
const started = now();
const say = (line: string): void => {
  process.stderr.write(`[${round((now() - started) / 1000, 1).toFixed(1)} s] ${line}\n`);
};

let rig: Promise<Rig> | undefined;
const context = (bench: Bench): BenchContext => ({
  rig: () => {
    if (!rig) say('starting the product sandbox (synth, DynamoDB Local, Cognito, Lambda, AppSync)…');
    rig ??= startRig();
    return rig;
  },
  progress: (line) => say(`  ${bench.name}: ${line}`),
});

async function bounded(bench: Bench): Promise<Row[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Row[]>((resolve) => {
    timer = setTimeout(() => resolve([unmeasured(bench.name, bench.metric, bench.goal, `over ${LIMIT_MS / 1000} s`)]), LIMIT_MS);
  });
  try {
    return await Promise.race([bench.run(context(bench)), timeout]);
  } catch (error) {
    return [unmeasured(bench.name, bench.metric, bench.goal, error instanceof Error ? error.message.split('\n')[0] ?? 'failed' : String(error))];
  } finally {
    clearTimeout(timer);
  }
}

const rows: Row[] = [];
for (const [index, bench] of chosen.entries()) {
  say(`▶ ${index + 1}/${chosen.length} ${bench.name}`);
  const at = now();
  const result = await bounded(bench);
  rows.push(...result);
  for (const row of result) say(`  ${row.meets === null ? '·' : row.meets ? '✓' : '✗'} ${row.metric}: ${row.value}`);
  say(`  ${bench.name} took ${round((now() - at) / 1000, 1)} s`);
}
if (rig) {
  say('stopping the sandbox');
  await rig.then((started) => started.stop(), () => undefined);
}
writeResults(path, rows);
process.stdout.write(`\n${tableText(rows)}\n\nwritten to ${path} (${round((now() - started) / 1000, 1)} s in all)\n`);
process.exit(0);
