// The CDK app: `npx cdk synth|deploy -c stage=dev|prod` (default dev), `npx tsx infra/app.ts` (writes cdk.out),
// or in process: `synthesize(outdir, stage)` returns the stack's name, as the sandbox and tests use it.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './nag.ts';
import { isStage, ROOT, type Stage } from './config.ts';
import type { FunctionEntries } from './functions.ts';
import type { ResolverSpec } from './resolver-list.ts';
import { ChatApiStack } from './stack.ts';

export const stackName = (stage: Stage): string => `ChatApi-${stage}`;

/**
 * cdk.json's `context`, which the CDK CLI hands to the synth it runs (CDK_CONTEXT_JSON); a synth in this process
 * (npm start, tests) reads it here, so the sandbox serves what `npm run deploy` would deploy.
 */
export function cdkJsonContext(root: string = ROOT, env: Record<string, string | undefined> = process.env): Record<string, unknown> {
  if (env.CDK_CONTEXT_JSON !== undefined) return {};
  let text: string;
  try {
    text = readFileSync(join(root, 'cdk.json'), 'utf8');
  } catch {
    return {};
  }
  const context = (JSON.parse(text) as { context?: unknown }).context;
  return typeof context === 'object' && context !== null ? (context as Record<string, unknown>) : {};
}

export interface ChatAppOptions {
  stage?: Stage;
  /** The cloud assembly folder; default CDK_OUTDIR (set by the CLI) or cdk.out. */
  outdir?: string;
  /** Bundle the functions with esbuild (default true); false is faster when no one runs them. */
  bundle?: boolean;
  /** CDK's CloudFormation template validation (~2 s); default off. The CLI path turns it on with CDK_VALIDATION=true. */
  validate?: boolean;
  entries?: FunctionEntries;
  resolvers?: readonly ResolverSpec[];
  context?: Record<string, unknown>;
}

/** The app with its one stack, not yet synthesized. */
export function createApp(options: ChatAppOptions = {}): { app: App; stack: ChatApiStack } {
  const outdir = resolve(options.outdir ?? process.env.CDK_OUTDIR ?? 'cdk.out');
  const context: Record<string, unknown> = { ...cdkJsonContext(), ...options.context };
  if (options.bundle === false) context['aws:cdk:bundling-stacks'] = [];
  const app = new App({ outdir, context, builtinCloudFormationValidation: options.validate ?? false });
  const stage: unknown = options.stage ?? app.node.tryGetContext('stage') ?? 'dev';
  if (!isStage(stage)) throw new Error(`unknown stage '${String(stage)}': use -c stage=dev or -c stage=prod`);
  const stack = new ChatApiStack(app, stackName(stage), {
    stage,
    description: `AI chat backend on AppSync (${stage})`,
    resolverBuildDir: join(outdir, '.resolvers', stage),
    ...(options.entries ? { entries: options.entries } : {}),
    ...(options.resolvers ? { resolvers: options.resolvers } : {}),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** Synthesizes the stage into `outdir` (validation off, functions bundled) and returns the stack's name. */
export function synthesize(outdir: string, stage: Stage = 'dev', context: Record<string, unknown> = {}): string {
  const { app, stack } = createApp({ outdir, stage, context });
  app.synth();
  return stack.stackName;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { app } = createApp({ validate: process.env.CDK_VALIDATION === 'true' });
  app.synth();
}
