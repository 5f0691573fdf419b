// One Lambda execution environment: a worker thread running worker.js, its init, invocations, timeout and
// the START / END / REPORT lines Lambda prints around each invocation.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';
import type { FunctionSpec, LambdaError } from './spec.ts';

/** What one invocation produced: the handler's JSON result, or an error response. */
export type Outcome = { ok: true; payload: string } | { ok: false; error: LambdaError };

type LogLevelName = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG' | 'TRACE';
type WorkerMessage =
  | { type: 'log'; level: LogLevelName; line: string }
  | { type: 'ready' }
  | { type: 'initError'; error: LambdaError }
  | { type: 'result'; requestId: string; payload: string; memoryMb: number }
  | { type: 'error' | 'crash'; requestId: string | undefined; error: LambdaError; memoryMb: number };

const LEVELS = { INFO: 'info', WARN: 'warn', ERROR: 'error', DEBUG: 'debug', TRACE: 'debug' } as const;
const WORKER = new URL('./worker.js', import.meta.url);

/** "2026/01/02/[$LATEST]<32 hex digits>", one stream per environment as in CloudWatch. */
function logStreamName(): string {
  return `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** The environment Lambda gives a Node.js function (Lambda "Defined runtime environment variables"). */
export function functionEnvironment(spec: FunctionSpec, sandbox: Record<string, string>, region: string): Record<string, string> {
  return {
    ...spec.environment,
    ...sandbox,
    PATH: '/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: spec.handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${spec.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: spec.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(),
    LAMBDA_TASK_ROOT: resolve(spec.codeDir),
  };
}

export class ExecutionEnvironment {
  private readonly worker: Worker;
  private readonly log: Logger;
  readonly spec: FunctionSpec;
  private readonly ready: Promise<LambdaError | undefined>;
  private readonly started = performance.now();
  private initDuration = 0;
  private readonly onEnd: () => void;
  private settle: ((outcome: Outcome, memoryMb?: number) => void) | undefined;
  private requestId: string | undefined;
  private memoryMb = 0;
  private hasEnded = false;
  private terminating = false;

  /** `onEnd` runs once, when the environment can take no more invocations (crashed, exited or terminated). */
  constructor(spec: FunctionSpec, env: Record<string, string>, invokedFunctionArn: string, log: Logger, onEnd: () => void) {
    this.spec = spec;
    this.log = log;
    this.onEnd = onEnd;
    // No execArgv: user code runs in plain Node, without the tsx or jest flags of the sandbox's own process.
    this.worker = new Worker(WORKER, { env, execArgv: [], stdout: true, stderr: true, workerData: { codeDir: spec.codeDir, handler: spec.handler, invokedFunctionArn } });
    this.forward(this.worker.stdout, 'info');
    this.forward(this.worker.stderr, 'error');
    this.ready = new Promise((resolveInit) => {
      this.worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready' || message.type === 'initError') {
          this.initDuration = performance.now() - this.started;
          resolveInit(message.type === 'initError' ? message.error : undefined);
        } else this.onMessage(message);
      });
      this.worker.on('exit', (code) => {
        if (!this.terminating) this.log.warn(`execution environment exited with status ${code}`);
        this.end();
        const prefix = this.requestId === undefined ? '' : `RequestId: ${this.requestId} Error: `;
        const error = { errorType: 'Runtime.ExitError', errorMessage: `${prefix}Runtime exited with error: exit status ${code}` };
        resolveInit(error);
        this.settle?.({ ok: false, error });
      });
    });
  }

  get ended(): boolean {
    return this.hasEnded;
  }

  /** Runs one invocation; a cold environment first waits for its init. */
  async invoke(requestId: string, event: string, cold: boolean): Promise<Outcome> {
    this.log.info(`${cold ? 'cold' : 'warm'} start of ${this.spec.name} (${requestId})`);
    const initError = await this.ready;
    this.log.info(`START RequestId: ${requestId} Version: $LATEST`);
    const started = performance.now();
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const outcome = initError !== undefined ? { ok: false as const, error: initError } : await this.run(requestId, event, timeoutMs);
    const duration = performance.now() - started;
    const timedOut = !outcome.ok && outcome.error.errorType === 'Sandbox.Timedout';
    this.log.info(`END RequestId: ${requestId}`);
    this.log.info(this.report(requestId, duration, cold, timedOut));
    if (timedOut) this.log.error(`${new Date().toISOString()} ${requestId} Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`);
    if (initError !== undefined) await this.terminate();
    return outcome;
  }

  terminate(): Promise<number> {
    this.terminating = true;
    this.end();
    return this.worker.terminate();
  }

  private run(requestId: string, event: string, timeoutMs: number): Promise<Outcome> {
    return new Promise((resolveOutcome) => {
      // Lambda stops the environment at the timeout: terminate() halts even a busy loop.
      const timer = setTimeout(() => {
        const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`;
        this.settle = undefined;
        void this.terminate().then(() => resolveOutcome({ ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage } }));
      }, timeoutMs);
      this.settle = (outcome, memoryMb) => {
        clearTimeout(timer);
        this.settle = undefined;
        this.requestId = undefined;
        this.memoryMb = Math.max(this.memoryMb, memoryMb ?? 0);
        resolveOutcome(outcome);
      };
      this.requestId = requestId;
      this.worker.postMessage({ type: 'invoke', requestId, event, deadline: Date.now() + timeoutMs });
    });
  }

  private onMessage(message: Exclude<WorkerMessage, { type: 'ready' | 'initError' }>): void {
    if (message.type === 'log') {
      this.log[LEVELS[message.level]](message.line);
    } else if (message.type === 'result') {
      this.settle?.({ ok: true, payload: message.payload }, message.memoryMb);
    } else {
      // A crash ends the environment; one after the handler returned has no invocation left to fail.
      if (message.type === 'crash') this.end();
      this.settle?.({ ok: false, error: message.error }, message.memoryMb);
    }
  }

  private end(): void {
    if (this.hasEnded) return;
    this.hasEnded = true;
    this.onEnd();
  }

  private report(requestId: string, duration: number, cold: boolean, timedOut: boolean): string {
    // Since August 2025 Lambda bills the init phase of on-demand functions too.
    const billed = Math.ceil(duration + (cold ? this.initDuration : 0));
    const parts = [
      `REPORT RequestId: ${requestId}`,
      `Duration: ${duration.toFixed(2)} ms`,
      `Billed Duration: ${billed} ms`,
      `Memory Size: ${this.spec.memoryMb} MB`,
      `Max Memory Used: ${this.memoryMb} MB`,
      ...(cold ? [`Init Duration: ${this.initDuration.toFixed(2)} ms`] : []),
      ...(timedOut ? ['Status: timeout'] : []),
    ];
    return parts.join('\t');
  }

  /** Raw writes to stdout or stderr reach CloudWatch unformatted, one event a line. */
  private forward(stream: Readable, level: 'info' | 'error'): void {
    createInterface({ input: stream }).on('line', (line) => this.log[level](line));
  }
}
