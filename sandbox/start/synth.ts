// `npm start`'s synth step: the dev stage of infra/ synthesized in this process, skipped when nothing that
// shapes the template changed since the last synth into the same cdk.out (hash kept under the state dir).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository this file belongs to: infra/, resolvers/, functions/ live here. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/** What shapes the template: any change here means a new synth. */
const INPUT_DIRS = ['infra', 'resolvers', 'functions'];
const INPUT_FILES = ['schema.graphql', 'package-lock.json', 'package.json', 'cdk.json'];
/** Bump when the way this file synthesizes changes, so an old record never skips a needed synth. */
const RECORD_VERSION = 1;
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
  skipped: boolean;
  ms: number;
}

interface SynthRecord { version: number; stage: string; inputs: string; cdkOut: string; stackName: string; template: string }

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

const sha256File = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const recordPath = (stateDir: string): string => join(stateDir, 'synth.json');

function readRecord(stateDir: string): SynthRecord | null {
  try {
    return JSON.parse(readFileSync(recordPath(stateDir), 'utf8')) as SynthRecord;
  } catch {
    return null;
  }
}

/** Remembers that `cdkOut` now holds the template of these inputs. */
export function writeRecord(stateDir: string, cdkOut: string, stackName: string, inputs: string): void {
  mkdirSync(stateDir, { recursive: true });
  const record: SynthRecord = { version: RECORD_VERSION, stage: STAGE, inputs, cdkOut, stackName, template: sha256File(join(cdkOut, `${stackName}.template.json`)) };
  const path = recordPath(stateDir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The stack name when cdk.out still holds exactly the template these inputs give; null otherwise. */
function upToDate(stateDir: string, cdkOut: string, inputs: string): string | null {
  const record = readRecord(stateDir);
  if (record?.version !== RECORD_VERSION || record.stage !== STAGE || record.inputs !== inputs || record.cdkOut !== cdkOut) return null;
  const template = join(cdkOut, `${record.stackName}.template.json`);
  // Another synth (npm run synth, a test) may have rewritten cdk.out since.
  return existsSync(template) && sha256File(template) === record.template ? record.stackName : null;
}

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

/** Synthesizes into `cdkOut` unless the last synth there came from the same inputs. */
export async function ensureSynthesized(root: string, cdkOut: string, stateDir: string, onSynth: () => void = () => undefined): Promise<SynthResult> {
  const started = performance.now();
  const inputs = inputsHash(root);
  const current = upToDate(stateDir, cdkOut, inputs);
  if (current !== null) return { stackName: current, skipped: true, ms: Math.round(performance.now() - started) };
  onSynth();
  const stackName = await synthesizeStack(root, cdkOut);
  writeRecord(stateDir, cdkOut, stackName, inputs);
  return { stackName, skipped: false, ms: Math.round(performance.now() - started) };
}

/** The first lines of a synth failure, without CDK's construct stack trace. */
export function synthFailureText(error: SynthError, maxLines = 8): string {
  const lines = error.message.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(0, maxLines).join('\n');
}
