// The AppSync API of the template, served over HTTP: POST /graphql with AppSync's auth, response
// shapes and logs. Resolver code is compiled at load, as AppSync checks it at deploy time.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Kind, type GraphQLSchema } from 'graphql';
import { authenticate, type AuthConfig, type Caller } from './auth.ts';
import { GraphqlEngine, type ExecuteOutcome, type GraphqlRequest } from './graphql.ts';
import { BodyTooLargeError, readBody, sourceIpOf } from '../aws/http.ts';
import { flatHeaders, sendJson, sendPreflight } from './http.ts';
import type { DataSourceExecutor } from './datasources/dispatch.ts';
import { compileCode, type CompiledCode } from './runtime/module.ts';
import { buildAppSyncSchema } from './schema.ts';
import type { Logger } from '../log.ts';
import type { ApiModel } from '../template/model.ts';

export interface AppSyncApiOptions {
  api: ApiModel;
  auth: Omit<AuthConfig, 'api'>;
  execute: DataSourceExecutor;
  log: Logger;
  /** Called after a mutation succeeds: the real-time endpoint publishes from here. */
  onMutation?: (outcome: ExecuteOutcome, caller: Caller) => void;
}

/** Compiles every resolver and function of the API; a refused one stops the load with its location. */
export function compileApiCode(api: ApiModel): Map<string, CompiledCode> {
  const compiled = new Map<string, CompiledCode>();
  for (const resolver of api.resolvers) {
    if (resolver.code) compiled.set(resolver.logicalId, compileCode(resolver.code.code, resolver.code.path));
  }
  for (const fn of api.functions.values()) {
    if (fn.code) compiled.set(fn.id, compileCode(fn.code.code, fn.code.path));
  }
  return compiled;
}

export class AppSyncApi {
  readonly schema: GraphQLSchema;
  readonly engine: GraphqlEngine;
  private code: Map<string, CompiledCode>;
  private readonly authConfig: AuthConfig;

  constructor(private readonly options: AppSyncApiOptions) {
    this.schema = buildAppSyncSchema(options.api.schema);
    this.code = compileApiCode(options.api);
    this.authConfig = { ...options.auth, api: options.api };
    this.engine = new GraphqlEngine({
      api: options.api,
      schema: this.schema,
      code: (key) => {
        const compiled = this.code.get(key);
        if (!compiled) throw new Error(`no code for ${key}`);
        return compiled;
      },
      execute: options.execute,
      log: options.log,
    });
  }

  get api(): ApiModel {
    return this.options.api;
  }

  /** Swaps in freshly compiled code (resolvers edited while the sandbox runs). */
  reloadCode(api: ApiModel): void {
    this.code = compileApiCode(api);
  }

  authenticate(req: IncomingMessage, body: string, path: string): ReturnType<typeof authenticate> {
    return authenticate({ method: req.method ?? 'POST', path, headers: req.headers, body, sourceIp: sourceIpOf(req) }, this.authConfig);
  }

  /** Serves POST /graphql; returns false for other paths. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname !== '/graphql') return false;
    if (req.method === 'OPTIONS') {
      sendPreflight(res);
      return true;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, { errors: [{ errorType: 'MethodNotAllowedException', message: 'Use POST for GraphQL requests.' }] });
      return true;
    }
    const started = performance.now();
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendJson(res, 413, { errors: [{ errorType: 'PayloadTooLargeException', message: error.message }] });
      return true;
    }
    const auth = await this.authenticate(req, body, url.pathname);
    if (!auth.ok) {
      this.options.log.warn(`refused ${req.method} /graphql: ${auth.errorType}: ${auth.message}`);
      sendJson(res, auth.status, { errors: [{ errorType: auth.errorType, message: auth.message }] }, { 'x-amzn-errortype': auth.errorType });
      return true;
    }
    let request: GraphqlRequest;
    try {
      request = parseRequest(body);
    } catch (error) {
      sendJson(res, 400, { errors: [{ errorType: 'MalformedHttpRequestException', message: (error as Error).message }] });
      return true;
    }
    const outcome = await this.engine.run(request, auth.caller, flatHeaders(req));
    const ms = (performance.now() - started).toFixed(1);
    const kind = outcome.operation?.operation ?? 'request';
    const fields = outcome.operation?.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '...')).join(',') ?? '';
    const errors = outcome.response.errors?.length ?? 0;
    const line = `${kind} ${fields} (${auth.caller.mode}) ${ms} ms${errors > 0 ? `, ${errors} error${errors > 1 ? 's' : ''}` : ''}`;
    if (errors > 0) this.options.log.warn(line);
    else this.options.log.info(line);
    sendJson(res, 200, outcome.response);
    if (outcome.mutations.length > 0) this.options.onMutation?.(outcome, auth.caller);
    return true;
  }
}

function parseRequest(body: string): GraphqlRequest {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error('The request body is not valid JSON.');
  }
  const request = value as Partial<GraphqlRequest> | null;
  if (typeof request?.query !== 'string') throw new Error('The request body needs a "query" string.');
  if (request.variables !== undefined && request.variables !== null && (typeof request.variables !== 'object' || Array.isArray(request.variables))) {
    throw new Error('"variables" must be an object.');
  }
  return { query: request.query, variables: request.variables ?? null, operationName: request.operationName ?? null };
}
