// The tool catalog the function was built with, and the runner over it. infra/tools.ts validates the catalog at synth
// and infra/functions.ts writes it into the bundle as the global __CHAT_TOOLS__ (esbuild's `define`): Lambda's
// environment variables hold 4 KB in all ("Lambda quotas"), too little for documents
// and schemas.
import { currentTimeTool } from './builtin/current-time.ts';
import { graphqlTool } from './graphql.ts';
import { lambdaTool } from './lambda.ts';
import { createToolRunner, DEFAULT_LIMITS, type RunnerLimits } from './runner.ts';
import type { BuiltinToolName, ServerTool, ToolRunner, ToolSpec } from './types.ts';

// Replaced by the catalog's JSON when esbuild bundles the function. Unbundled (tests running the sources in process)
// it is an ordinary global: undeclared, or set on globalThis before the runner is built.
declare const __CHAT_TOOLS__: readonly ToolSpec[] | undefined;

const BUILTINS: Record<BuiltinToolName, ServerTool> = {
  current_time: currentTimeTool,
};

/** The catalog bundled into the function; unbundled, globalThis.__CHAT_TOOLS__ or else none. */
export function bundledCatalog(): readonly ToolSpec[] {
  return typeof __CHAT_TOOLS__ === 'undefined' ? [] : __CHAT_TOOLS__;
}

/** The code that serves one catalog entry. */
export function serverToolOf(spec: ToolSpec): ServerTool {
  switch (spec.kind) {
    case 'builtin':
      return BUILTINS[spec.name];
    case 'graphql':
      return graphqlTool(spec);
    case 'lambda':
      return lambdaTool(spec);
  }
}

/**
 * The runner the tool loop calls: the catalog's definitions for the Messages API request, and `run`, which never
 * throws. Build it once per cold start (the input schemas are compiled here).
 */
export function toolRunnerFromCatalog(catalog: readonly ToolSpec[] = bundledCatalog(), limits: RunnerLimits = DEFAULT_LIMITS): ToolRunner {
  return createToolRunner(catalog.map(serverToolOf), limits);
}
