// Answers POST /v1/messages: the Message object, or its stream of events with pacing and mid-stream faults.
// Event order and shapes from Anthropic's "Streaming Messages" page and the SDK's `RawMessageStreamEvent` types.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Message, MessageDeltaUsage, RawMessageStreamEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { CacheUsage } from './cache.ts';
import { errorBody, ClaudeApiError } from './errors.ts';
import { DELTAS_BEFORE_FAULT, type Fault } from './faults.ts';
import type { Reply } from './reply-text.ts';
import { pause, type StreamWriter } from './stream.ts';
import type { MessageRequest } from './validate.ts';

export interface Pacing {
  /** Pieces a second; 0 sends as fast as the socket takes them. */
  tokensPerSecond: number;
  firstTokenDelayMs: number;
}

export interface ReplyPlan {
  request: MessageRequest;
  reply: Reply;
  usage: CacheUsage;
  fault: Fault | undefined;
  requestId: string;
}

export interface Outcome {
  /** Pieces the client received. */
  outputTokens: number;
  /** False when the stream ended without `message_stop` (fault, client gone, stand-in closed). */
  completed: boolean;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An id shaped like Anthropic's: `msg_01` or `req_01` and 22 base62 characters. */
export function newId(prefix: 'msg' | 'req'): string {
  return `${prefix}_01${[...randomBytes(22)].map((byte) => BASE62[byte % 62]).join('')}`;
}

/** The `anthropic-ratelimit-*` headers of a successful answer: generous, fixed limits. */
export function rateLimitHeaders(): Record<string, string> {
  const reset = new Date(Date.now() + 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'anthropic-ratelimit-requests-limit': '4000',
    'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': '2000000',
    'anthropic-ratelimit-output-tokens-limit': '400000',
  };
}

function usageOf(usage: CacheUsage, outputTokens: number): Usage {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    cache_creation: { ephemeral_5m_input_tokens: usage.ephemeral5mInputTokens, ephemeral_1h_input_tokens: usage.ephemeral1hInputTokens },
    output_tokens: outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    speed: null,
  };
}

function deltaUsageOf(usage: CacheUsage, outputTokens: number): MessageDeltaUsage {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheCreationInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    output_tokens: outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
  };
}

/** The complete Message; `content` is empty only when nothing was generated (max_tokens 0). */
function messageOf(plan: ReplyPlan, id: string): Message {
  const { reply } = plan;
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: plan.request.model,
    content: reply.pieces.length > 0 ? [{ type: 'text', text: reply.text, citations: null }] : [],
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usageOf(plan.usage, reply.pieces.length),
  };
}

function firstTokenDelay(plan: ReplyPlan, pacing: Pacing): number {
  return plan.fault?.kind === 'slow_first_token' ? plan.fault.ms : pacing.firstTokenDelayMs;
}

/** Headers of a successful non-streaming answer, besides its content type and length. */
export type AnswerHeaders = (plan: ReplyPlan, message: Message) => Record<string, string>;

const anthropicHeaders: AnswerHeaders = (plan) => ({ 'request-id': plan.requestId, ...rateLimitHeaders() });

/** Non-streaming: waits as long as generating would take, then answers the Message in one body. */
export async function sendMessage(res: ServerResponse, plan: ReplyPlan, pacing: Pacing, signal: AbortSignal, headers: AnswerHeaders = anthropicHeaders): Promise<Outcome> {
  const perPiece = pacing.tokensPerSecond > 0 ? 1000 / pacing.tokensPerSecond : 0;
  await pause(firstTokenDelay(plan, pacing) + perPiece * plan.reply.pieces.length, signal);
  if (signal.aborted || plan.fault?.kind === 'cut_mid_stream') {
    res.destroy();
    return { outputTokens: 0, completed: false };
  }
  // A non-streaming request cannot fail mid-way: the overload it meets is answered as a 529.
  if (plan.fault?.kind === 'error_mid_stream') throw new ClaudeApiError('overloaded_error', 'Overloaded');
  const message = messageOf(plan, newId('msg'));
  const text = JSON.stringify(message);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers(plan, message) });
  res.end(text);
  return { outputTokens: plan.reply.pieces.length, completed: true };
}

/** Streaming: message_start, content_block_start, ping, text deltas, content_block_stop, message_delta, message_stop. */
export async function streamMessage(sse: StreamWriter, plan: ReplyPlan, pacing: Pacing, signal: AbortSignal): Promise<Outcome> {
  const send = (event: RawMessageStreamEvent | { type: 'ping' }): Promise<void> => sse.event(event.type, event);
  const { reply } = plan;
  const message = messageOf(plan, newId('msg'));
  sse.start();

  // The start event carries the skeleton: no content, no stop reason, output_tokens 1 as the API sends it.
  await send({ type: 'message_start', message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: usageOf(plan.usage, 1) } });
  const hasBlock = reply.deltas.length > 0;
  if (hasBlock) await send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } });
  await send({ type: 'ping' });

  const perPiece = pacing.tokensPerSecond > 0 ? 1000 / pacing.tokensPerSecond : 0;
  const startedAt = performance.now() + firstTokenDelay(plan, pacing);
  const faultAt = Math.min(DELTAS_BEFORE_FAULT, reply.deltas.length);
  let sentPieces = 0;
  for (let index = 0; index <= reply.deltas.length && sse.open; index++) {
    if (index === faultAt && plan.fault?.kind === 'error_mid_stream') {
      await sse.event('error', errorBody(new ClaudeApiError('overloaded_error', 'Overloaded')));
      sse.end();
      return { outputTokens: sentPieces, completed: false };
    }
    if (index === faultAt && plan.fault?.kind === 'cut_mid_stream') {
      sse.cut();
      return { outputTokens: sentPieces, completed: false };
    }
    const delta = reply.deltas[index];
    if (delta === undefined) break;
    // Scheduled against the start, so pacing does not drift with slow writes.
    await pause(startedAt + (sentPieces + delta.pieces) * perPiece - performance.now(), signal);
    if (!sse.open) break;
    await send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: delta.text } });
    sentPieces += delta.pieces;
  }
  if (!sse.open) {
    // Aborted: the client left, or the stand-in is closing and drops the connection as a stopped server would.
    sse.cut();
    return { outputTokens: sentPieces, completed: false };
  }
  if (hasBlock) await send({ type: 'content_block_stop', index: 0 });
  await send({
    type: 'message_delta',
    delta: { stop_reason: reply.stopReason, stop_sequence: reply.stopSequence, stop_details: null, container: null },
    usage: deltaUsageOf(plan.usage, sentPieces),
  });
  await send({ type: 'message_stop' });
  sse.end();
  return { outputTokens: sentPieces, completed: true };
}
