// Runs one handler (request or response) of a compiled APPSYNC_JS bundle against a context, and
// says how it ended: a value, an early return, util.error, util.unauthorized or a runtime error.
import * as dynamodbModule from './module-utils-dynamodb.ts';
import { createExtensions, runtimeUtil } from './extensions.ts';
import { instantiate, runtimeConsole, type CompiledCode } from './module.ts';
import { EarlyReturnSignal, newEvaluationState, ResolverError, UnauthorizedError, type EvaluationState } from './state.ts';
import { createUtil } from './util/index.ts';

export type HandlerName = 'request' | 'response';

export type HandlerOutcome =
  | { kind: 'result'; value: unknown }
  | { kind: 'earlyReturn'; value: unknown; skipTo: 'END' | 'NEXT' | null }
  | { kind: 'error'; message: string; errorType: string | null; data: unknown; errorInfo: unknown }
  | { kind: 'unauthorized' }
  | { kind: 'runtimeError'; message: string; line: number; column: number };

/** One resolver (or pipeline function) run: a fresh module instance and its evaluation state. */
export interface ResolverInstance {
  readonly compiled: CompiledCode;
  readonly state: EvaluationState;
  readonly exports: Record<string, unknown>;
  /** Ends the run: its realm may serve another one. The state stays readable; the handlers must not run again. */
  readonly release: () => void;
  readonly adopt: (value: unknown) => unknown;
}

/** A fresh instance per run, so module-level state never leaks between requests (as on AppSync). */
export function createInstance(compiled: CompiledCode, authType: string | null = null): ResolverInstance {
  const state = newEvaluationState(authType);
  const util = createUtil(state);
  const extensions = createExtensions(state);
  const appsyncUtils = { util, extensions, runtime: runtimeUtil };
  const { exports, release, adopt } = instantiate(
    compiled,
    { util, extensions, runtime: runtimeUtil, console: runtimeConsole(() => state, compiled.filename) },
    // Host objects the code only reaches through the realm's stand-ins, new for each run (module.ts, stand-ins.ts).
    { '@aws-appsync/utils': appsyncUtils, '@aws-appsync/utils/dynamodb': dynamodbModule },
  );
  return { compiled, state, exports, release, adopt };
}

interface HostContext { arguments?: unknown; args?: unknown; stash?: unknown }

/**
 * Calls `request` or `response` with a copy of `ctx` made in the resolver's realm, as AppSync gives each request
 * its own: the code can't reach this process through it (`ctx.constructor`) or change objects other requests
 * share (`ctx.args.__proto__`). What a handler may change for the steps after it, the stash and the arguments,
 * is copied back. A missing handler is a runtime error, as on AppSync.
 */
export function runHandler(instance: ResolverInstance, name: HandlerName, ctx: HostContext): HandlerOutcome {
  const handler = instance.exports[name];
  if (typeof handler !== 'function') {
    return { kind: 'runtimeError', message: `The code does not export a '${name}' function.`, line: 0, column: 0 };
  }
  const own = instance.adopt(ctx) as HostContext;
  // `args` is `arguments`, one object, in the copy too.
  own.args = own.arguments;
  try {
    const value: unknown = (handler as (ctx: unknown) => unknown)(own);
    return { kind: 'result', value: toJsonValue(value) };
  } catch (error) {
    return outcomeOf(error, instance.compiled.filename);
  } finally {
    copyBack(ctx, own);
  }
}

function copyBack(ctx: HostContext, own: HostContext): void {
  try {
    ctx.stash = toJsonValue(own.stash ?? {});
    ctx.arguments = ctx.args = toJsonValue(own.arguments ?? {});
  } catch {
    // A stash the code made circular can't be serialized (AppSync's fails too): the steps after see it as it was.
  }
}

function outcomeOf(error: unknown, filename: string): HandlerOutcome {
  if (error instanceof EarlyReturnSignal) return { kind: 'earlyReturn', value: toJsonValue(error.value), skipTo: error.skipTo };
  if (error instanceof ResolverError) {
    return { kind: 'error', message: error.message, errorType: error.errorType, data: toJsonValue(error.data), errorInfo: toJsonValue(error.errorInfo) };
  }
  if (error instanceof UnauthorizedError) return { kind: 'unauthorized' };
  // Errors raised inside the context come from another realm: read them by shape, not by class.
  const { name, message, stack } = (error ?? {}) as { name?: unknown; message?: unknown; stack?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const where = typeof stack === 'string' ? locateInStack(stack, filename) : null;
  return {
    kind: 'runtimeError',
    message: typeof name === 'string' && name !== 'Error' ? `${name}: ${text}` : text,
    line: where?.line ?? 0,
    column: where?.column ?? 0,
  };
}

function locateInStack(stack: string, filename: string): { line: number; column: number } | null {
  for (const frame of stack.split('\n')) {
    const at = frame.lastIndexOf(`${filename}:`);
    if (at < 0) continue;
    const [line, column] = frame.slice(at + filename.length + 1).split(':').map((n) => Number.parseInt(n, 10));
    if (line !== undefined && column !== undefined && !Number.isNaN(line)) return { line, column };
  }
  return null;
}

/**
 * AppSync serializes what a handler returns (to a data source request or a field value): functions
 * and undefined properties vanish, objects from the context's realm become plain values.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  const json = JSON.stringify(value);
  return json === undefined ? null : (JSON.parse(json) as unknown);
}
