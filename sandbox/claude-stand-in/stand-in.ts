// The offline stand-in for Anthropic's Claude API and for Claude on Amazon Bedrock: routes `<prefix>/v1/...` and
// `<prefix>/model/{id}/invoke[-with-response-stream]`, checks auth and bodies, picks faults, accounts the prompt
// cache, answers, logs one line a request and keeps counts for tests.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody, type Route as HttpRoute } from '../aws/http.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import { anthropicBodyOf, BedrockApiError, bedrockAnswerHeaders, bedrockErrorOf, bedrockRouteOf, checkModelId, checkSignature, sendBedrockError, type BedrockRoute } from './bedrock.ts';
import { createPromptCache } from './cache.ts';
import { ClaudeApiError, sendError } from './errors.ts';
import { BedrockStreamWriter } from './event-stream.ts';
import { faultError, FaultQueue, parseFault, type Fault, type FaultKind } from './faults.ts';
import { newId, rateLimitHeaders, sendMessage, streamMessage, type AnswerHeaders, type Outcome, type Pacing, type ReplyPlan } from './messages.ts';
import { SseWriter, type StreamWriter } from './stream.ts';
import { composeReply, directivesOf } from './reply-text.ts';
import { promptTokens } from './tokens.ts';
import { validateMessageRequest, type MessageRequest } from './validate.ts';

export interface ClaudeStandInOptions {
  log: Logger;
  /** Pieces streamed a second; 0 streams as fast as possible. Default 200. */
  tokensPerSecond?: number;
  /** Wait before the first text delta. Default 0. */
  firstTokenDelayMs?: number;
  /** Clock of the prompt cache's lifetimes; tests move it to expire entries. */
  now?: () => number;
  /** Who may call the Bedrock routes (SigV4); none when not given. */
  iamPrincipals?: readonly IamPrincipal[];
}

export interface ClaudeStandInStats {
  /** Requests answered under `/v1/` and Bedrock's `/model/`, whatever the outcome. */
  requests: number;
  /** Requests by the fault they met; `none` for the rest. */
  byFault: Partial<Record<FaultKind | 'none', number>>;
  /** Requests by HTTP status. */
  byStatus: Record<string, number>;
}

export type HttpHandler = HttpRoute;

export interface ClaudeStandIn {
  /** Serves `.../v1/...`; resolves false for any other path, so the sandbox can try its next route. */
  httpHandler(): HttpHandler;
  /** Faults for the next requests, queued by the test process. */
  readonly faults: FaultQueue;
  stats(): ClaudeStandInStats;
  /** Drops the connections of open answers (no `message_stop`), as a stopped server would, and resolves when done. */
  close(): Promise<void>;
}

/** The real API's request size limit ("Errors": request size limits). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export const FAULT_HEADER = 'x-standin-fault';

type Route = 'messages' | 'count_tokens' | 'unknown' | BedrockRoute;

function routeOf(url: string | undefined): Route | undefined {
  const bedrock = bedrockRouteOf(url);
  if (bedrock) return bedrock;
  const path = new URL(url ?? '/', 'http://stand-in').pathname.replace(/\/+$/, '');
  const at = path.indexOf('/v1/');
  if (at < 0) return path.endsWith('/v1') ? 'unknown' : undefined;
  const rest = path.slice(at + 3);
  if (rest === '/messages') return 'messages';
  if (rest === '/messages/count_tokens') return 'count_tokens';
  return 'unknown';
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  try {
    return await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new ClaudeApiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    throw error;
  }
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ClaudeApiError('invalid_request_error', 'There was an issue with the format or content of your request: the body is not valid JSON.');
  }
}

function headerFault(req: IncomingMessage): string | undefined {
  const value = req.headers[FAULT_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

export function createClaudeStandIn(options: ClaudeStandInOptions): ClaudeStandIn {
  const log = options.log;
  const pacing: Pacing = { tokensPerSecond: options.tokensPerSecond ?? 200, firstTokenDelayMs: options.firstTokenDelayMs ?? 0 };
  const cache = createPromptCache(options.now ?? Date.now);
  const faults = new FaultQueue();
  const open = new Map<AbortController, Promise<unknown>>();
  const counts: ClaudeStandInStats = { requests: 0, byFault: {}, byStatus: {} };

  function count(status: number, fault: Fault | undefined): void {
    counts.requests += 1;
    counts.byStatus[String(status)] = (counts.byStatus[String(status)] ?? 0) + 1;
    const kind = fault?.kind ?? 'none';
    counts.byFault[kind] = (counts.byFault[kind] ?? 0) + 1;
  }

  /** Header first, then the message's directive, then the queue: a per-request fault leaves the queue alone. */
  function faultFor(req: IncomingMessage, request: MessageRequest): Fault | undefined {
    const asked = headerFault(req) ?? directivesOf(request).fault;
    if (asked === undefined) return faults.take();
    const fault = parseFault(asked);
    if (!fault) throw new ClaudeApiError('invalid_request_error', `unknown stand-in fault: ${asked}`);
    return fault;
  }

  /** How an answer is written: Anthropic's SSE and headers, or Bedrock's event stream and headers. */
  interface Dialect {
    writer(res: ServerResponse, signal: AbortSignal, requestId: string): StreamWriter;
    headers?: AnswerHeaders;
  }
  const anthropic: Dialect = { writer: (res, signal, requestId) => new SseWriter(res, signal, { 'request-id': requestId, ...rateLimitHeaders() }) };
  const bedrock: Dialect = { writer: (res, signal, requestId) => new BedrockStreamWriter(res, signal, requestId), headers: bedrockAnswerHeaders };

  async function answer(res: ServerResponse, requestId: string, request: MessageRequest, fault: Fault | undefined, dialect: Dialect): Promise<string> {
    const early = fault && faultError(fault);
    if (early) throw early;
    const plan: ReplyPlan = { request, reply: composeReply(request), usage: cache.account(request), fault, requestId };
    log.debug(`answering ${request.stream ? 'a stream' : 'a message'} of ${plan.reply.pieces.length} tokens for ${requestId}`);
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const run = request.stream
      ? streamMessage(dialect.writer(res, controller.signal, requestId), plan, pacing, controller.signal)
      : sendMessage(res, plan, pacing, controller.signal, dialect.headers);
    open.set(controller, run.catch(() => undefined));
    try {
      const outcome: Outcome = await run;
      const { usage } = plan;
      return `model=${request.model} stream=${request.stream} in=${usage.inputTokens} out=${outcome.outputTokens} cache_read=${usage.cacheReadInputTokens} cache_write=${usage.cacheCreationInputTokens}${outcome.completed ? '' : ' incomplete'}`;
    } finally {
      open.delete(controller);
    }
  }

  /** Answers one request; `met.fault` records the fault it met, also when that fault is the error thrown. */
  async function serve(req: IncomingMessage, res: ServerResponse, route: Route, requestId: string, met: { fault?: Fault }): Promise<string> {
    if (typeof route === 'object') return serveBedrock(req, res, route, requestId, met);
    if (route === 'unknown' || req.method !== 'POST') throw new ClaudeApiError('not_found_error', 'Not Found');
    // Any key is accepted; its value is never logged.
    if (req.headers['x-api-key'] === undefined && req.headers.authorization === undefined) {
      throw new ClaudeApiError('authentication_error', 'x-api-key header is required');
    }
    const body = parseBody(await bodyOf(req));
    if (route === 'count_tokens') {
      const request = validateMessageRequest(body, { countTokens: true });
      const text = JSON.stringify({ input_tokens: promptTokens(request) });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': requestId, ...rateLimitHeaders() });
      res.end(text);
      return `count_tokens model=${request.model} in=${promptTokens(request)}`;
    }
    const request = validateMessageRequest(body);
    const fault = faultFor(req, request);
    if (fault) met.fault = fault;
    return answer(res, requestId, request, fault, anthropic);
  }

  /** InvokeModel and InvokeModelWithResponseStream: the signature first, as AWS checks it before the body. */
  async function serveBedrock(req: IncomingMessage, res: ServerResponse, route: BedrockRoute, requestId: string, met: { fault?: Fault }): Promise<string> {
    if (req.method !== 'POST') throw new ClaudeApiError('not_found_error', 'Not Found');
    const text = await bodyOf(req);
    await checkSignature(req, text, options.iamPrincipals ?? []);
    checkModelId(route.modelId);
    const request = validateMessageRequest(anthropicBodyOf(parseBody(text), route));
    const fault = faultFor(req, request);
    if (fault) met.fault = fault;
    return `bedrock ${await answer(res, requestId, request, fault, bedrock)}`;
  }

  function httpHandler(): HttpHandler {
    return async (req, res) => {
      const route = routeOf(req.url);
      if (!route) return false;
      // Bedrock's request ids are UUIDs; Anthropic's are `req_01...`.
      const requestId = typeof route === 'object' ? randomUUID() : newId('req');
      const started = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
      const met: { fault?: Fault } = {};
      const faultNote = (): string => (met.fault ? ` fault=${met.fault.kind}` : '');
      try {
        const line = await serve(req, res, route, requestId, met);
        count(200, met.fault);
        log.info(`${started} 200 ${line}${faultNote()}`);
      } catch (error) {
        const expected = error instanceof ClaudeApiError || error instanceof BedrockApiError;
        if (!expected) log.error(`${started} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        const apiError = typeof route === 'object' ? bedrockErrorOf(error) : error instanceof ClaudeApiError ? error : new ClaudeApiError('api_error', 'Internal server error');
        if (!res.headersSent && !res.destroyed) {
          if (apiError instanceof BedrockApiError) sendBedrockError(res, apiError, requestId);
          else sendError(res, apiError, requestId);
        }
        count(apiError.status, met.fault);
        log.info(`${started} ${apiError.status} ${apiError.errorType}: ${apiError.message}${faultNote()}`);
      }
      return true;
    };
  }

  async function close(): Promise<void> {
    const running = [...open.values()];
    for (const controller of open.keys()) controller.abort();
    await Promise.all(running);
  }

  return { httpHandler, faults, stats: () => structuredClone(counts), close };
}
