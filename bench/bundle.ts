// The chat function's bundle (esbuild, with the options infra/functions.ts gives it) and its cold init: node importing
// the bundle's entry file vs node importing the same code unbundled (each TS file transpiled, node_modules as
// installed). Several fresh processes each, interleaved; medians and their ratio.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, transform, type Metafile } from 'esbuild';
import { esbuildOptions } from '../infra/functions.ts';
import { DEFAULT_TOOLS, toolsDefine, validateTools } from '../infra/tools.ts';
import type { Bench, Row } from './results.ts';
import { ROOT } from './rig.ts';
import { median, round } from './stats.ts';

const RUNS = 7;
/** The goal, for the bytes a cold start reads: with code splitting the chunks of what the handler imports only
 * with import() are not read (bench/README.md, the bundle note; it was restated to 750 KB for the one-file bundle). */
const LIMIT_KB = 500;
/** The goal for the import of the bundle, on this machine. */
const INIT_LIMIT_MS = 80;

/** The bundle of the default stage (Claude on Anthropic's API: the Bedrock SDK is left out, a Bedrock stage bundles
 * it) with the default tool catalog, as infra/functions.ts builds it: the entry file and its chunks. */
async function bundleChat(outdir: string): Promise<Metafile> {
  const options = esbuildOptions(join(ROOT, 'functions/chat/handler.ts'), ['@anthropic-ai/bedrock-sdk'], toolsDefine(validateTools(DEFAULT_TOOLS)));
  const { metafile } = await build({ ...options, absWorkingDir: ROOT, outdir, logLevel: 'silent', metafile: true });
  return metafile;
}

/** Bytes of every output file, and of those a cold start reads: the entry file and what it imports statically. */
function sizes(metafile: Metafile): { total: number; init: number; files: number } {
  const outputs = new Map(Object.entries(metafile.outputs).map(([file, output]) => [join(ROOT, file), output]));
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of outputs.get(file)?.imports ?? []) if (imported.kind === 'import-statement' && !imported.external) visit(join(ROOT, imported.path));
  };
  visit([...outputs.keys()].find((file) => basename(file) === 'index.mjs') ?? '');
  const bytes = (files: Iterable<string>): number => [...files].reduce((sum, file) => sum + (outputs.get(file)?.bytes ?? 0), 0);
  return { total: bytes(outputs.keys()), init: bytes(seen), files: outputs.size };
}

/** functions/ (the chat function and what it shares with the others) and the resolvers' shared modules it imports
 * (keys, tokens) transpiled file by file, imports pointed at .js, node_modules linked. */
async function unbundled(dir: string): Promise<string> {
  const tsUnder = (folder: string): string[] => readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }).map((f) => `${folder}/${f}`);
  const files = [...tsUnder('functions'), ...tsUnder('resolvers')].filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const source = readFileSync(join(ROOT, file), 'utf8');
    const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node22' });
    const out = join(dir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2'));
  }
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return join(dir, 'functions/chat/handler.js');
}

/** Milliseconds a fresh node process takes to import `file` (its init phase), measured inside it. */
function importMs(file: string): number {
  const code = 'const t = performance.now(); const m = await import(process.env.BENCH_TARGET); if (typeof m.handler !== "function") throw new Error("no handler"); process.stdout.write(String(performance.now() - t));';
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, BENCH_TARGET: pathToFileURL(file).href, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 30_000 });
  return Number(out);
}

export const bundle: Bench = {
  name: 'bundle',
  metric: 'chat function bundle size; cold init, bundle vs unbundled',
  goal: `<= ${LIMIT_KB} KB; bundled faster`,
  async run(context): Promise<Row[]> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
    try {
      context.progress('bundling functions/chat/handler.ts as infra does');
      const size = sizes(await bundleChat(join(dir, 'bundle')));
      const bundled = join(dir, 'bundle/index.mjs');
      const plain = await unbundled(join(dir, 'plain'));
      context.progress(`importing each ${RUNS} times in fresh node processes, interleaved`);
      const times = { bundled: [] as number[], unbundled: [] as number[] };
      for (let run = 0; run < RUNS; run += 1) {
        times.bundled.push(importMs(bundled));
        times.unbundled.push(importMs(plain));
      }
      const [b, u] = [median(times.bundled), median(times.unbundled)];
      const kb = size.init / 1024;
      return [
        {
          bench: 'bundle', metric: 'chat function bundle read at cold start (minified ESM: the entry file and its static imports)',
          value: `${round(kb)} KB (${round(size.total / 1024)} KB in all ${size.files} files)`,
          goal: `<= ${LIMIT_KB} KB`, meets: kb <= LIMIT_KB, details: { initBytes: size.init, bytes: size.total, files: size.files },
        },
        {
          bench: 'bundle', metric: 'chat function cold init (import), bundled vs unbundled',
          value: `${round(b)} ms vs ${round(u)} ms: ${round(u / b, 2)}x faster`, goal: `<= ${INIT_LIMIT_MS} ms; bundled faster`, meets: b <= INIT_LIMIT_MS && b < u,
          details: { runs: RUNS, bundledMs: times.bundled.map((v) => round(v)), unbundledMs: times.unbundled.map((v) => round(v)) },
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
