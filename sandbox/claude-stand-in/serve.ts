// Serving one request the stand-in routed: Anthropic's Messages and count_tokens, or Bedrock's InvokeModel and
// InvokeModelWithResponseStream. Checks auth and the body, takes a script's step or picks the fault, accounts the
// prompt cache, answers in the caller's dialect, or answers the error as that API does; each request ends in one log
// line (stand-in.ts writes it).
// Thinking signatures are checked here, after the body: they need the secret of this stand-in's start.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import { anthropicBodyOf, BedrockApiError, bedrockAnswerHeaders, bedrockErrorOf, checkModelId, checkSignature, sendBedrockError, type BedrockRoute } from './bedrock.ts';
import type { PromptCache } from './cache.ts';
import { ClaudeApiError, sendError } from './errors.ts';
import { BedrockStreamWriter } from './event-stream.ts';
import { faultError, parseFault, type Fault, type FaultQueue } from './faults.ts';
import { newId } from './ids.ts';
import { rateLimitHeaders, sendMessage, streamMessage, type AnswerHeaders, type Outcome, type Pacing, type ReplyPlan } from './messages.ts';
import { composeReply } from './reply.ts';
import { directivesOf } from './reply-text.ts';
import { bodyOf, headerFault, parseBody, type RequestRoute } from './request.ts';
import type { ModelCall, ScriptBook, ScriptStep } from './script.ts';
import { SseWriter, type StreamWriter } from './stream.ts';
import { promptTokens } from './tokens.ts';
import type { ThinkingSigner } from './thinking.ts';
import type { MessageRequest } from './prompt.ts';
import { validateMessageRequest } from './validate.ts';

/** What every request is served with: the stand-in's settings and the state its requests share. */
export interface ServeContext {
  log: Logger;
  pacing: Pacing;
  cache: PromptCache;
  faults: FaultQueue;
  iamPrincipals: readonly IamPrincipal[];
  open: OpenAnswers;
  /** Signs the thinking it writes and checks the thinking sent back, with a secret made at this start. */
  signer: ThinkingSigner;
  /** The tests' scripts, and the log of model calls. */
  script: ScriptBook;
}

/** How one request ended: the status answered, the fault it met, and its log line. */
export interface Served {
  status: number;
  fault: Fault | undefined;
  line: string;
}

/** One request being served; `fault` records the fault it met, also when that fault is the error thrown. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  fault?: Fault | undefined;
  /** The model call's record, once the request was valid; its status is set when the answer ends. */
  call?: ModelCall;
  /** The script's step that answers it, if one does. */
  step?: ScriptStep | undefined;
}

/** The answers being written, so that stopping the stand-in can drop them as a stopped server would. */
export class OpenAnswers {
  private readonly running = new Map<AbortController, Promise<unknown>>();

  /** Runs `answer` with a signal that aborts when the response closes or the stand-in stops. */
  async track<T>(res: ServerResponse, answer: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const run = answer(controller.signal);
    this.running.set(controller, run.catch(() => undefined));
    try {
      return await run;
    } finally {
      this.running.delete(controller);
    }
  }

  /** Drops the connections of open answers (no `message_stop`) and resolves when they are done. */
  async dropAll(): Promise<void> {
    const running = [...this.running.values()];
    for (const controller of this.running.keys()) controller.abort();
    await Promise.all(running);
  }
}

/** Answers one routed request, whatever happens: its answer, or its error as the route's API answers it. */
export async function respond(req: IncomingMessage, res: ServerResponse, route: RequestRoute, context: ServeContext): Promise<Served> {
  // Bedrock's request ids are UUIDs; Anthropic's are `req_01...`.
  const exchange: Exchange = { req, res, requestId: typeof route === 'object' ? randomUUID() : newId('req') };
  const started = `${req.method ?? 'GET'} ${req.url ?? '/'}`;
  const faultNote = (): string => (exchange.fault ? ` fault=${exchange.fault.kind}` : '') + (exchange.call?.script ? ` script=${exchange.call.script}` : '');
  try {
    const line = typeof route === 'object' ? await serveBedrock(exchange, route, context) : await serveAnthropic(exchange, route, context);
    if (exchange.call) exchange.call.status = 200;
    return { status: 200, fault: exchange.fault, line: `${started} 200 ${line}${faultNote()}` };
  } catch (error) {
    const expected = error instanceof ClaudeApiError || error instanceof BedrockApiError;
    if (!expected) context.log.error(`${started} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    const apiError = sendFailure(exchange, route, error);
    if (exchange.call) exchange.call.status = apiError.status;
    return { status: apiError.status, fault: exchange.fault, line: `${started} ${apiError.status} ${apiError.errorType}: ${apiError.message}${faultNote()}` };
  }
}

/** The error as the route's API answers it, sent unless the answer already started. */
function sendFailure({ res, requestId }: Exchange, route: RequestRoute, error: unknown): ClaudeApiError | BedrockApiError {
  const apiError = typeof route === 'object' ? bedrockErrorOf(error) : error instanceof ClaudeApiError ? error : new ClaudeApiError('api_error', 'Internal server error');
  if (!res.headersSent && !res.destroyed) {
    if (apiError instanceof BedrockApiError) sendBedrockError(res, apiError, requestId);
    else sendError(res, apiError, requestId);
  }
  return apiError;
}

/** Anthropic's Messages API: `POST /v1/messages` and `POST /v1/messages/count_tokens`. */
async function serveAnthropic(exchange: Exchange, route: Exclude<RequestRoute, BedrockRoute>, context: ServeContext): Promise<string> {
  const { req } = exchange;
  if (route === 'unknown' || req.method !== 'POST') throw new ClaudeApiError('not_found_error', 'Not Found');
  // Any key is accepted; its value is never logged.
  if (req.headers['x-api-key'] === undefined && req.headers.authorization === undefined) {
    throw new ClaudeApiError('authentication_error', 'x-api-key header is required');
  }
  const body = parseBody(await bodyOf(req));
  if (route === 'count_tokens') return countTokens(exchange, body);
  const request = validateMessageRequest(body);
  context.signer.checkSignatures(request);
  await scriptOrFault(exchange, request, 'anthropic', context);
  return answer(exchange, request, anthropic, context);
}

function countTokens({ res, requestId }: Exchange, body: unknown): string {
  const request = validateMessageRequest(body, { countTokens: true });
  const text = JSON.stringify({ input_tokens: promptTokens(request) });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': requestId, ...rateLimitHeaders() });
  res.end(text);
  return `count_tokens model=${request.model} in=${promptTokens(request)}`;
}

/** InvokeModel and InvokeModelWithResponseStream: the signature first, as AWS checks it before the body. */
async function serveBedrock(exchange: Exchange, route: BedrockRoute, context: ServeContext): Promise<string> {
  const { req } = exchange;
  if (req.method !== 'POST') throw new ClaudeApiError('not_found_error', 'Not Found');
  const text = await bodyOf(req);
  await checkSignature(req, text, context.iamPrincipals);
  checkModelId(route.modelId);
  const request = validateMessageRequest(anthropicBodyOf(parseBody(text), route));
  context.signer.checkSignatures(request);
  await scriptOrFault(exchange, request, 'bedrock', context);
  return `bedrock ${await answer(exchange, request, bedrock, context)}`;
}

/** A script's step decides the call's fault when one applies; else the header, the directive or the queue does. */
async function scriptOrFault(exchange: Exchange, request: MessageRequest, api: ModelCall['api'], context: ServeContext): Promise<void> {
  const { step, call } = await context.script.answer(request, api);
  exchange.call = call;
  exchange.step = step;
  exchange.fault = step ? (step.fault === undefined ? undefined : parseFault(step.fault)) : faultFor(exchange.req, request, context.faults);
}

/** Header first, then the message's directive, then the queue: a per-request fault leaves the queue alone. */
function faultFor(req: IncomingMessage, request: MessageRequest, faults: FaultQueue): Fault | undefined {
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

/** The reply to a valid request (or the error its fault stands for), streamed or whole; resolves with its log line. */
async function answer(exchange: Exchange, request: MessageRequest, dialect: Dialect, context: ServeContext): Promise<string> {
  const { res, requestId, fault, step } = exchange;
  const early = fault && faultError(fault);
  if (early) throw early;
  const plan: ReplyPlan = {
    request, reply: composeReply(request, context.signer, step), usage: context.cache.account(request), fault, requestId,
    ...(step?.afterDeltas === undefined ? {} : { faultAfterDeltas: step.afterDeltas }),
  };
  const pacing: Pacing = { tokensPerSecond: step?.tokensPerSecond ?? context.pacing.tokensPerSecond, firstTokenDelayMs: step?.firstTokenDelayMs ?? context.pacing.firstTokenDelayMs };
  context.log.debug(`answering ${request.stream ? 'a stream' : 'a message'} of ${plan.reply.blocks.length} blocks, ${plan.reply.outputTokens} tokens for ${requestId}`);
  const outcome: Outcome = await context.open.track(res, (signal) => (request.stream
    ? streamMessage(dialect.writer(res, signal, requestId), plan, pacing, signal)
    : sendMessage(res, plan, pacing, signal, dialect.headers)));
  const { usage } = plan;
  return `model=${request.model} stream=${request.stream} in=${usage.inputTokens} out=${outcome.outputTokens} cache_read=${usage.cacheReadInputTokens} cache_write=${usage.cacheCreationInputTokens}${outcome.completed ? '' : ' incomplete'}`;
}
