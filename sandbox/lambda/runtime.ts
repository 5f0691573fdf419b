// Lambda on one machine: a pool of execution environments per function, RequestResponse and Event invocations
// answered as the Invoke API does, and Event retries ending in the on-failure destination.
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Route } from '../aws/http.ts';
import type { ServiceInstance } from '../aws/service.ts';
import type { Logger } from '../log.ts';
import { ExecutionEnvironment, functionEnvironment, type Outcome } from './environment.ts';
import type { FunctionSpec, LambdaError } from './spec.ts';

export interface InvokeResult {
  statusCode: 200 | 202;
  payload?: unknown;
  functionError?: 'Unhandled';
  error?: LambdaError;
}

export interface LambdaServiceOptions {
  functions: FunctionSpec[];
  /** The `lambda` logger: each function logs to its child `lambda:<name>`. */
  log: Logger;
  /** AWS_ENDPOINT_URL_*, fake credentials and AWS_REGION (default us-east-1) that every function gets. */
  sandboxEnvironment: Record<string, string>;
  accountId?: string;
  /** Lambda waits about 1 then 2 minutes between Event retries; the sandbox waits this (default 1000 ms), then twice it. */
  eventRetryDelayMs?: number;
}

/** Lambda's ResourceNotFoundException for an unknown function name. */
export class FunctionNotFoundError extends Error {
  readonly errorType = 'ResourceNotFoundException';
}

/** Raised by `invoke` once `stop()` was called. */
export class ServiceStoppedError extends Error {
  readonly errorType = 'ServiceException';
}

interface FunctionState {
  spec: FunctionSpec;
  log: Logger;
  idle: ExecutionEnvironment[];
  live: Set<ExecutionEnvironment>;
}

export class LambdaService implements ServiceInstance {
  /** AppSync invokes in process; functions call the Invoke API, which sandbox.ts serves with invoke-route.ts. */
  readonly routes: readonly Route[] = [];
  private readonly functions = new Map<string, FunctionState>();
  private readonly background = new Set<Promise<void>>();
  private readonly log: Logger;
  private readonly sandboxEnvironment: Record<string, string>;
  private readonly region: string;
  private readonly accountId: string;
  private readonly retryDelayMs: number;
  private stopped = false;

  constructor(options: LambdaServiceOptions) {
    this.log = options.log;
    this.sandboxEnvironment = options.sandboxEnvironment;
    this.region = options.sandboxEnvironment.AWS_REGION ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.retryDelayMs = options.eventRetryDelayMs ?? 1000;
    for (const spec of options.functions) this.update(spec);
  }

  /** Execution environments started and not yet ended, over all functions. */
  get liveEnvironments(): number {
    return [...this.functions.values()].reduce((count, state) => count + state.live.size, 0);
  }

  async invoke(name: string, payload: unknown, invocationType: 'RequestResponse' | 'Event'): Promise<InvokeResult> {
    const state = this.state(name);
    // An Invoke without a payload hands the function `{}`.
    const event = JSON.stringify(payload ?? {});
    if (invocationType === 'Event') {
      const job = this.runEvent(state, event).catch((error: unknown) => {
        state.log.error(`Event invocation failed: ${String(error)}`);
      });
      this.background.add(job);
      void job.finally(() => this.background.delete(job));
      return { statusCode: 202 };
    }
    const outcome = await this.run(state, event);
    if (outcome.ok) return { statusCode: 200, payload: JSON.parse(outcome.payload) };
    return { statusCode: 200, functionError: 'Unhandled', payload: outcome.error, error: outcome.error };
  }

  /** New code or configuration: idle environments go, busy ones finish their invocation first. */
  update(spec: FunctionSpec): void {
    const state = this.functions.get(spec.name);
    if (state === undefined) {
      const log = this.log.child(spec.name);
      const mismatch = runtimeMismatch(spec.runtime);
      if (mismatch) log.warn(mismatch);
      this.functions.set(spec.name, { spec, log, idle: [], live: new Set() });
      return;
    }
    state.spec = spec;
    for (const env of state.idle.splice(0)) void env.terminate();
  }

  /** Resolves once no Event invocation is queued, running or waiting for a retry. */
  async awaitIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.all(this.background);
  }

  /** Terminates every environment; Event invocations stop retrying. Final: later invocations throw. */
  async stop(): Promise<void> {
    this.stopped = true;
    const environments = [...this.functions.values()].flatMap((state) => [...state.live]);
    await Promise.all(environments.map((env) => env.terminate()));
  }

  private state(name: string): FunctionState {
    if (this.stopped) throw new ServiceStoppedError('The Lambda service is stopped');
    const state = this.functions.get(name);
    if (state === undefined) throw new FunctionNotFoundError(`Function not found: ${this.arn(name)}`);
    return state;
  }

  private arn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
  }

  /** One environment, one invocation at a time: an idle one is reused (warm), else a new one starts (cold). */
  private async run(state: FunctionState, event: string): Promise<Outcome> {
    const warm = state.idle.pop();
    const env = warm ?? this.start(state);
    const outcome = await env.invoke(randomUUID(), event, warm === undefined);
    if (env.ended) return outcome;
    if (env.spec === state.spec && !this.stopped) state.idle.push(env);
    else await env.terminate();
    return outcome;
  }

  private start(state: FunctionState): ExecutionEnvironment {
    const { spec } = state;
    const variables = functionEnvironment(spec, this.sandboxEnvironment, this.region);
    const env: ExecutionEnvironment = new ExecutionEnvironment(spec, variables, this.arn(spec.name), state.log, () => {
      state.live.delete(env);
      state.idle = state.idle.filter((other) => other !== env);
    });
    state.live.add(env);
    return env;
  }

  /** Lambda "Error handling and automatic retries in Lambda": a failed Event invocation is retried, then sent on. */
  private async runEvent(state: FunctionState, event: string): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.run(state, event);
      if (outcome.ok || this.stopped) return;
      const retries = state.spec.maxEventRetries ?? 2;
      if (attempt >= retries) {
        state.log.error(`Event invocation failed after ${retries} retries: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
        state.spec.onFailure?.(JSON.parse(event), outcome.error);
        return;
      }
      state.log.warn(`Event invocation failed (${outcome.error.errorType}), retry ${attempt + 1} of ${retries}`);
      await delay(this.retryDelayMs * (attempt + 1));
    }
  }
}

/**
 * The functions run in worker threads of the sandbox's own Node: a `nodejsNN.x` function on another major version is
 * not tested as Lambda runs it. npm's scripts run on the project's Node 22 (the `node` package in devDependencies).
 */
export function runtimeMismatch(runtime: string, nodeVersion: string = process.versions.node): string | null {
  const declared = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  const running = nodeVersion.split('.')[0];
  if (declared === undefined || declared === running) return null;
  return `declares ${runtime} but runs on Node ${nodeVersion} here: start the sandbox through npm (npm start, npm test) to run the project's Node ${declared}`;
}
