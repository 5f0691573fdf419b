// Every resolver and pipeline function, from the one list in resolver-list.ts. The TypeScript files are
// bundled by esbuild into ESM assets as AppSync needs them ("Bundling, TypeScript, and source maps for the
// APPSYNC_JS runtime"); the sandbox runs the very same bundles.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { buildSync } from 'esbuild';
import { Construct } from 'constructs';
import { ROOT } from './config.ts';
import type { ResolverSpec } from './resolver-list.ts';

type DataSourceKey = ResolverSpec['dataSource'];

/** The resolver's own before/after code when a pipeline has none of its own. */
const PASS_THROUGH = 'export function request() { return {}; }\nexport function response(ctx) { return ctx.prev.result; }\n';

/** A file named in the list, as a path from the repository root: `resolvers/...ts`. */
export function resolverFile(file: string): string {
  const withDir = file.startsWith('resolvers/') ? file : `resolvers/${file}`;
  return withDir.endsWith('.ts') ? withDir : `${withDir}.ts`;
}

/** The file holding a resolver's own code (unit), or its before/after code (pipeline) when there is one. */
export function ownCodeFile(spec: ResolverSpec): string | undefined {
  if (spec.file !== undefined) return resolverFile(spec.file);
  const conventional = `resolvers/${spec.typeName}.${spec.fieldName}.ts`;
  return spec.pipeline === undefined || existsSync(join(ROOT, conventional)) ? conventional : undefined;
}

/** Every file the list needs, each once. */
export function filesOf(specs: readonly ResolverSpec[]): string[] {
  const files = new Set<string>();
  for (const spec of specs) {
    const own = ownCodeFile(spec);
    if (own !== undefined) files.add(own);
    for (const step of spec.pipeline ?? []) files.add(resolverFile(step.file));
  }
  return [...files];
}

export interface ChatResolversProps {
  api: appsync.GraphqlApi;
  dataSources: Record<DataSourceKey, appsync.BaseDataSource>;
  specs: readonly ResolverSpec[];
  /** Where the bundles are written before CDK stages them as assets. */
  buildDir: string;
}

export class ChatResolvers extends Construct {
  constructor(scope: Construct, id: string, { api, dataSources, specs, buildDir }: ChatResolversProps) {
    super(scope, id);
    const seen = new Set<string>();
    for (const spec of specs) {
      const field = `${spec.typeName}.${spec.fieldName}`;
      if (seen.has(field)) throw new Error(`infra/resolver-list.ts: ${field} is listed twice`);
      seen.add(field);
    }
    const code = bundle(filesOf(specs), buildDir);
    const runtime = appsync.FunctionRuntime.JS_1_0_0;

    // One AppSync function per (step file, data source), shared by the resolvers that use it.
    const functions = new Map<string, appsync.AppsyncFunction>();
    const names = new Set<string>();
    const stepFunction = (file: string, dataSource: DataSourceKey): appsync.AppsyncFunction => {
      const key = `${file}|${dataSource}`;
      const existing = functions.get(key);
      if (existing) return existing;
      const base = identifier(basename(file, '.ts'));
      const name = names.has(base) ? `${base}_${dataSource}` : base;
      names.add(name);
      const fn = new appsync.AppsyncFunction(this, `Step${pascal(name)}`, { api, name, dataSource: dataSources[dataSource], runtime, code: code(file) });
      functions.set(key, fn);
      return fn;
    };

    for (const spec of specs) {
      const id = `${spec.typeName}${pascal(spec.fieldName)}`;
      const own = ownCodeFile(spec);
      if (spec.pipeline === undefined) {
        // A unit resolver always has a file (ownCodeFile gives the conventional one).
        new appsync.Resolver(this, id, { api, typeName: spec.typeName, fieldName: spec.fieldName, dataSource: dataSources[spec.dataSource], runtime, code: code(own ?? '') });
      } else {
        const pipelineConfig = spec.pipeline.map((step) => stepFunction(resolverFile(step.file), step.dataSource));
        new appsync.Resolver(this, id, {
          api, typeName: spec.typeName, fieldName: spec.fieldName, runtime, pipelineConfig,
          code: own === undefined ? appsync.Code.fromInline(PASS_THROUGH) : code(own),
        });
      }
    }
  }
}

/** Bundles the files in one esbuild run; returns the asset code of each. */
function bundle(files: string[], buildDir: string): (file: string) => appsync.Code {
  const missing = files.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) {
    throw new Error(`infra/resolver-list.ts names files that do not exist: ${missing.join(', ')}`);
  }
  const out = (file: string): string => join(buildDir, `${relative('resolvers', file).replace(/\.ts$/, '')}.js`);
  if (files.length > 0) {
    mkdirSync(dirname(out(files[0] ?? '')), { recursive: true });
    buildSync({
      entryPoints: files.map((file) => ({ in: join(ROOT, file), out: relative(buildDir, out(file)).replace(/\.js$/, '') })),
      outdir: buildDir,
      bundle: true,
      format: 'esm',
      target: 'es2020',
      platform: 'neutral',
      external: ['@aws-appsync/*'],
      sourcemap: false,
      minify: false,
      logLevel: 'silent',
    });
  }
  return (file) => appsync.Code.fromAsset(out(file));
}

const identifier = (text: string): string => text.replace(/[^A-Za-z0-9_]/g, '_');
const pascal = (text: string): string => identifier(text).replace(/(^|_)([a-z0-9])/g, (_m, _s: string, c: string) => c.toUpperCase());
