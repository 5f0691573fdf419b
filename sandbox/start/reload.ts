// Live reload for `npm start`: edits under resolvers/ and functions/ are rebuilt with the same synth the stack
// deploys, then swapped into the running sandbox. A broken edit is reported and the last good code keeps serving.
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import type { Sandbox } from '../sandbox.ts';
import { loadTemplate } from '../template/load.ts';
import type { ApiModel } from '../template/model.ts';
import { describeFailure } from './failure.ts';
import { ensureSynthesized, synthesizeResolversOnly } from './synth.ts';

export type SourceKind = 'resolvers' | 'functions';

export interface ReloadOptions {
  root: string;
  cdkOut: string;
  stateDir: string;
  stackName: string;
  sandbox: Pick<Sandbox, 'api' | 'lambda' | 'urls' | 'template' | 'log'>;
  /** One line per reload, success or failure. */
  print: (line: string) => void;
  debounceMs?: number;
}

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A folder and every folder below it, node_modules aside. */
function foldersUnder(dir: string): string[] {
  if (!isFolder(dir)) return [];
  const below = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !`${entry.parentPath}/${entry.name}`.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name));
  return [dir, ...below];
}

/** The code each resolver, pipeline function and Lambda function is served with, to say what a reload changed. */
function codeIndex(api: ApiModel | null, functions: { name: string; codeDir: string }[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const resolver of api?.resolvers ?? []) index.set(`${resolver.typeName}.${resolver.fieldName}`, resolver.code?.code ?? '');
  for (const fn of api?.functions.values() ?? []) index.set(`function ${fn.name}`, fn.code?.code ?? '');
  for (const fn of functions) index.set(`lambda ${fn.name}`, fn.codeDir);
  return index;
}

export class CodeReloader {
  private served: Map<string, string>;
  private pending = new Set<SourceKind>();
  /** Kinds whose last rebuild failed: their edits still wait to be served, whatever is edited next. */
  private owed = new Set<SourceKind>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private watched = new Map<string, FSWatcher>();

  constructor(private readonly options: ReloadOptions) {
    this.served = codeIndex(options.sandbox.template.api, options.sandbox.template.functions);
  }

  /** Watches resolvers/ and functions/ with their subfolders; edits are batched for `debounceMs` (default 150). */
  watch(): void {
    for (const kind of ['resolvers', 'functions'] as const) {
      for (const dir of foldersUnder(join(this.options.root, kind))) this.watchFolder(dir, kind);
    }
  }

  /**
   * One watcher per folder, not `recursive: true`: on Linux, Node 20's recursive watch follows file inodes and goes
   * deaf to a file once an editor saves it by rename (as `sed -i` and many editors do). A folder's watch does not.
   */
  private watchFolder(dir: string, kind: SourceKind): void {
    const watcher = watch(dir, (_event, filename) => {
      if (filename === null) return;
      const path = join(dir, filename);
      if (!this.watched.has(path) && isFolder(path)) {
        for (const sub of foldersUnder(path)) this.watchFolder(sub, kind);
      }
      // Editors' swap and backup files are not code.
      if (/\.(ts|js|mjs|cjs|json)$/.test(filename)) this.schedule(kind);
    });
    watcher.on('error', (error) => this.options.sandbox.log.warn(`watching ${relative(this.options.root, dir)} failed: ${error.message}`));
    this.watched.set(dir, watcher);
  }

  schedule(kind: SourceKind): void {
    this.pending.add(kind);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running ??= this.drain().finally(() => {
        this.running = null;
      });
    }, this.options.debounceMs ?? 150);
  }

  /** Resolves once no rebuild is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watched.values()) watcher.close();
    this.watched.clear();
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const kinds = new Set(this.pending);
      this.pending.clear();
      this.options.print(await this.reload(kinds));
    }
  }

  /** Rebuilds and swaps in the code; returns the line to print. Never throws: a failure keeps the last good code. */
  async reload(edited: Set<SourceKind>): Promise<string> {
    const { root, cdkOut, stateDir, sandbox } = this.options;
    const kinds = new Set([...edited, ...this.owed]);
    this.owed.clear();
    const started = performance.now();
    const what = [...kinds].map((k) => `${k}/`).join(' and ');
    try {
      let outdir = join(stateDir, 'reload.out');
      if (kinds.has('functions')) {
        // Functions need their bundles: a full synth (or the cached one of the same sources, after an edit is undone),
        // put in cdk.out and kept in the synth cache for the next start.
        outdir = cdkOut;
        await ensureSynthesized({ root, cdkOut, stateDir, log: sandbox.log.child('synth') });
      } else {
        await synthesizeResolversOnly(root, outdir);
      }
      const template = loadTemplate({ cdkOut: outdir, stackName: this.options.stackName, graphqlUrl: sandbox.urls.graphql, realtimeUrl: sandbox.urls.realtime });
      if (template.api) sandbox.api.reloadCode(template.api);
      const lambdas = kinds.has('functions') ? template.functions : [];
      const next = codeIndex(template.api, lambdas);
      const reloaded = [...next].filter(([name, code]) => this.served.get(name) !== code).map(([name]) => name);
      for (const fn of lambdas) {
        if (this.served.get(`lambda ${fn.name}`) === fn.codeDir) continue;
        sandbox.lambda.update({ ...fn, onFailure: (_event, error) => sandbox.log.child('lambda').error(`${fn.name}: event dropped after retries: ${error.errorType}: ${error.errorMessage}`) });
      }
      for (const [name, code] of next) this.served.set(name, code);
      const ms = Math.round(performance.now() - started);
      if (reloaded.length === 0) return `reload: ${what} edited, no change to the served code (${ms} ms)`;
      return `reloaded ${reloaded.join(', ')} in ${ms} ms`;
    } catch (error) {
      for (const kind of kinds) this.owed.add(kind);
      return `reload failed (${what}), still serving the last good code:\n${describeFailure(error, root)}`;
    }
  }
}
