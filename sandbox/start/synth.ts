// `npm start`'s synth step: the dev stage of infra/ synthesized in this process, or, when nothing that shapes the
// template changed, taken from the synth cache under the state dir (synth-cache.ts) without loading aws-cdk-lib.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../log.ts';
import { lookupEntry, pruneCache, restoreEntry, storeEntry } from './synth-cache.ts';

/** The repository this file belongs to: infra/, resolvers/, functions/ live here. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** What shapes the template: any change here means a new synth. */
const INPUT_DIRS = ['infra', 'resolvers', 'functions'];
const INPUT_FILES = ['schema.graphql', 'package-lock.json', 'package.json', 'cdk.json'];
/**
 * The environment a synth in this process reads: CDK's App takes its context from CDK_CONTEXT_JSON (and infra/app.ts
 * then skips cdk.json's), CDK_DEBUG adds stack traces to the metadata, and a stack given an `env` would read the
 * default account and region.
 */
export const SYNTH_ENV = ['CDK_CONTEXT_JSON', 'CDK_DEBUG', 'CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION'] as const;
/** Bump when the way this file synthesizes changes, so an old cache entry is never served for a new synth. */
const SYNTH_VERSION = 2;
const STAGE = 'dev';

export class SynthError extends Error {
  readonly errorType = 'SynthFailed';
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'SynthError';
  }
}

export interface SynthResult {
  stackName: string;
  /** True when the template came from the synth cache, false when it was synthesized now. */
  fromCache: boolean;
  ms: number;
  /** The cache key: the hash of the inputs, the stage and the environment. */
  key: string;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A hash of every input file's path and content. */
export function inputsHash(root: string): string {
  const hash = createHash('sha256');
  const files = [...INPUT_DIRS.flatMap((dir) => filesUnder(join(root, dir))), ...INPUT_FILES.map((file) => join(root, file)).filter((file) => existsSync(file))];
  for (const file of files) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** The synth cache key: the input files, the stage, the environment CDK reads, and how this file synthesizes. */
export function synthKey(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const environment = Object.fromEntries(SYNTH_ENV.map((name) => [name, env[name] ?? null]));
  const text = JSON.stringify({ version: SYNTH_VERSION, stage: STAGE, inputs: inputsHash(root), environment });
  return createHash('sha256').update(text).digest('hex');
}

/** Where the synth cache lives in a state dir. */
export const synthCacheDir = (stateDir: string): string => join(stateDir, 'synth-cache');

interface InfraApp {
  synthesize(outdir: string, stage: 'dev'): string;
  createApp(options: { outdir: string; stage: 'dev'; bundle: boolean }): { app: { synth(): unknown }; stack: { stackName: string } };
}

/** infra/app.ts, loaded on first use: a skipped synth never pays for loading aws-cdk-lib. */
async function infraApp(root: string): Promise<InfraApp> {
  // CDK's own checks stay off the network (CONTRIBUTING.md, "Facts we measured", CDK synth).
  process.env.CDK_DISABLE_CLI_TELEMETRY = 'true';
  // CDK caches staged assets by path and options, not content: a re-synth in this process would serve old code.
  (await import('aws-cdk-lib')).AssetStaging.clearAssetHashCache();
  return (await import(pathToFileURL(join(root, 'infra', 'app.ts')).href)) as InfraApp;
}

/** Synthesizes the dev stage into `cdkOut` with the functions bundled; throws SynthError. */
export async function synthesizeStack(root: string, cdkOut: string): Promise<string> {
  try {
    const infra = await infraApp(root);
    return infra.synthesize(cdkOut, STAGE);
  } catch (error) {
    throw new SynthError(error);
  }
}

/** Synthesizes without bundling the functions (~0.4 s warm): enough to pick up resolver code. */
export async function synthesizeResolversOnly(root: string, outdir: string): Promise<string> {
  try {
    const infra = await infraApp(root);
    const { app, stack } = infra.createApp({ outdir, stage: STAGE, bundle: false });
    app.synth();
    return stack.stackName;
  } catch (error) {
    throw new SynthError(error);
  }
}

export interface EnsureOptions {
  root: string;
  /** Where the cloud assembly is put for the sandbox to serve. */
  cdkOut: string;
  /** Holds the synth cache (synth-cache/). */
  stateDir: string;
  /** Says whether the template came from the cache or was synthesized, and about a damaged cache entry. */
  log: Logger;
  /** Called before a synth starts (not on a cache hit). */
  onSynth?: () => void;
  /** Writes a cloud assembly into a folder and returns the stack's name; default the dev stage with bundling. */
  synthesize?: (root: string, outdir: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
}

/** Puts the template of the current inputs in `cdkOut`: from the synth cache, or synthesized now and cached. */
export async function ensureSynthesized(options: EnsureOptions): Promise<SynthResult> {
  const started = performance.now();
  const { root, cdkOut, log, synthesize = synthesizeStack } = options;
  const cacheDir = synthCacheDir(options.stateDir);
  const key = synthKey(root, options.env);
  const found = lookupEntry(cacheDir, key);
  if (found.damaged !== null) log.warn(`synth cache entry ${key.slice(0, 12)} was damaged (${found.damaged}): removed, synthesizing again`);
  if (!found.entry) options.onSynth?.();
  const entry = found.entry ?? await storeEntry(cacheDir, key, (outdir) => synthesize(root, outdir));
  restoreEntry(entry, cdkOut);
  pruneCache(cacheDir, key);
  const ms = Math.round(performance.now() - started);
  const where = relative(root, entry.dir).startsWith('..') ? entry.dir : relative(root, entry.dir);
  log.info(found.entry
    ? `template from the synth cache (${where}, inputs unchanged), in ${ms} ms`
    : `template synthesized in ${ms} ms, cached in ${where}`);
  return { stackName: entry.stackName, fromCache: found.entry !== null, ms, key };
}

/** The first lines of a synth failure, without CDK's construct stack trace. */
export function synthFailureText(error: SynthError, maxLines = 8): string {
  const lines = error.message.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(0, maxLines).join('\n');
}
