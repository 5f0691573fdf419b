// Runs a field's resolver as AppSync does: UNIT (request -> data source -> response), PIPELINE
// (request -> each function -> response), direct Lambda resolvers, and runtime.earlyReturn's jumps
// ("Resolver reference (JavaScript)", "Pipeline resolvers", "Runtime utilities").
import type { CompiledCode } from './runtime/module.ts';
import { buildContext, type ResolverContext, type ResolverInfo } from './runtime/context.ts';
import { createInstance, runHandler, type HandlerOutcome, type ResolverInstance } from './runtime/execute.ts';
import type { ResolverErrorEntry } from './runtime/state.ts';
import type { DataSourceModel, ResolverModel } from '../template/model.ts';
import type { DataSourceExecutor } from './datasources/dispatch.ts';
import { FieldFailure, type FieldError } from './field-failure.ts';

export interface ResolverRun {
  value: unknown;
  /** The field's error (value is then null), if any. */
  error: FieldError | null;
  /** util.appendError entries: reported, but the value stands. */
  appended: ResolverErrorEntry[];
  /** What extensions recorded (subscription filters, invalidations). */
  instances: ResolverInstance[];
}

export interface ResolverCall {
  resolver: ResolverModel;
  /** Compiled code by resolver logical id or pipeline function id. */
  code: (key: string) => CompiledCode;
  functions: Map<string, { name: string; dataSourceName: string; hasCode: boolean }>;
  dataSources: Map<string, DataSourceModel>;
  execute: DataSourceExecutor;
  authType: string;
  context: {
    arguments: Record<string, unknown>;
    identity: Record<string, unknown> | null;
    source: unknown;
    info: ResolverInfo;
    headers: Record<string, string>;
    env: Record<string, string>;
  };
}

function fail(outcome: Exclude<HandlerOutcome, { kind: 'result' | 'earlyReturn' }>, where: string): never {
  switch (outcome.kind) {
    case 'error':
      throw new FieldFailure({ message: outcome.message, errorType: outcome.errorType, data: outcome.data, errorInfo: outcome.errorInfo });
    case 'unauthorized':
      throw FieldFailure.of('Unauthorized', 'Unauthorized');
    case 'runtimeError':
      throw FieldFailure.of(`${outcome.message} [${where}:${outcome.line}:${outcome.column}]`, 'Code');
  }
}

/** Runs one handler; returns its value or how it jumped (early return), throws FieldFailure on error. */
function run(instance: ResolverInstance, name: 'request' | 'response', ctx: ResolverContext): { value: unknown; early: 'END' | 'NEXT' | null | false } {
  const outcome = runHandler(instance, name, ctx);
  if (outcome.kind === 'result') return { value: outcome.value, early: false };
  if (outcome.kind === 'earlyReturn') return { value: outcome.value, early: outcome.skipTo };
  return fail(outcome, instance.compiled.filename);
}

async function callDataSource(call: ResolverCall, sourceName: string, request: unknown, ctx: ResolverContext): Promise<void> {
  const source = call.dataSources.get(sourceName);
  if (!source) throw FieldFailure.of(`Data source ${sourceName} not found`, 'DataSourceNotFound');
  const outcome = await call.execute(source, request, ctx);
  delete ctx.error;
  ctx.result = outcome.result ?? null;
  if ('error' in outcome) ctx.error = outcome.error;
}

/** Runs the resolver for one field and says what the field resolves to. */
export async function runResolver(call: ResolverCall): Promise<ResolverRun> {
  const ctx = buildContext({
    arguments: call.context.arguments,
    identity: call.context.identity,
    source: call.context.source,
    info: call.context.info,
    request: { headers: call.context.headers, domainName: null },
    env: call.context.env,
  });
  const instances: ResolverInstance[] = [];
  const appended = (): ResolverErrorEntry[] => instances.flatMap((i) => i.state.appendedErrors);
  try {
    const value = await (call.resolver.kind === 'PIPELINE' ? runPipeline(call, ctx, instances) : runUnit(call, ctx, instances));
    return { value, error: null, appended: appended(), instances };
  } catch (error) {
    if (!(error instanceof FieldFailure)) throw error;
    return { value: null, error: error.fieldError, appended: appended(), instances };
  } finally {
    // The run is over: the realms go back (their evaluation states stay readable for the caller).
    for (const instance of instances) instance.release();
  }
}

async function runUnit(call: ResolverCall, ctx: ResolverContext, instances: ResolverInstance[]): Promise<unknown> {
  const { resolver } = call;
  if (resolver.dataSourceName === null) throw FieldFailure.of(`Resolver ${resolver.typeName}.${resolver.fieldName} has no data source`, 'MappingTemplate');
  if (resolver.code === null) {
    // A direct Lambda resolver: the function receives the whole context and its answer is the field.
    const { arguments: args, identity, source, request, prev, info, stash } = ctx;
    await callDataSource(call, resolver.dataSourceName, { operation: 'Invoke', payload: { arguments: args, identity, source, request, prev, info, stash } }, ctx);
    if (ctx.error) throw FieldFailure.of(ctx.error.message, ctx.error.type);
    return ctx.result;
  }
  const instance = createInstance(call.code(resolver.logicalId), call.authType);
  instances.push(instance);
  const request = run(instance, 'request', ctx);
  if (request.early !== false) return request.value;
  await callDataSource(call, resolver.dataSourceName, request.value, ctx);
  return run(instance, 'response', ctx).value;
}

async function runPipeline(call: ResolverCall, ctx: ResolverContext, instances: ResolverInstance[]): Promise<unknown> {
  const instance = createInstance(call.code(call.resolver.logicalId), call.authType);
  instances.push(instance);
  const before = run(instance, 'request', ctx);
  ctx.prev = { result: before.value };
  if (before.early === false) {
    for (const functionId of call.resolver.functionIds) {
      const fn = call.functions.get(functionId);
      if (!fn) throw FieldFailure.of(`Pipeline function ${functionId} not found`, 'MappingTemplate');
      const step = createInstance(call.code(functionId), call.authType);
      instances.push(step);
      delete ctx.error;
      delete ctx.result;
      const request = run(step, 'request', ctx);
      if (request.early !== false) {
        ctx.prev = { result: request.value };
        if (request.early === 'END') break;
        continue;
      }
      await callDataSource(call, fn.dataSourceName, request.value, ctx);
      ctx.prev = { result: run(step, 'response', ctx).value };
    }
  }
  delete ctx.error;
  delete ctx.result;
  return run(instance, 'response', ctx).value;
}
