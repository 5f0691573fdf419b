// Answers POST /v1/messages: the Message object, or its stream of events with pacing and mid-stream faults.
// Event order and shapes from Anthropic's "Streaming Messages" page and the SDK's `RawMessageStreamEvent` types: each
// content block of the reply (reply.ts) is a `content_block_start`, its deltas and a `content_block_stop`, by index.
import type { ServerResponse } from 'node:http';
import type { Message, MessageDeltaUsage, RawMessageStreamEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { CacheUsage } from './cache.ts';
import { errorBody, ClaudeApiError } from './errors.ts';
import { DELTAS_BEFORE_FAULT, type Fault } from './faults.ts';
import { newId } from './ids.ts';
import type { Reply, ReplyBlock } from './reply.ts';
import { pause, type StreamWriter } from './stream.ts';
import type { MessageRequest } from './prompt.ts';

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
  /** Deltas sent before a mid-stream fault strikes; DELTAS_BEFORE_FAULT unless a script's step says. */
  faultAfterDeltas?: number;
  requestId: string;
}

export interface Outcome {
  /** Pieces the client received. */
  outputTokens: number;
  /** False when the stream ended without `message_stop` (fault, client gone, stand-in closed). */
  completed: boolean;
}

export { newId } from './ids.ts';

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

/** The complete Message: every block as its deltas add up; `content` is empty only when nothing was generated. */
function messageOf(plan: ReplyPlan, id: string): Message {
  const { reply } = plan;
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: plan.request.model,
    content: reply.blocks.map((block) => block.final),
    stop_reason: reply.stopReason,
    stop_sequence: reply.stopSequence,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usageOf(plan.usage, reply.outputTokens),
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
  await pause(firstTokenDelay(plan, pacing) + perPiece * plan.reply.outputTokens, signal);
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
  return { outputTokens: plan.reply.outputTokens, completed: true };
}

type StreamEvent = RawMessageStreamEvent | { type: 'ping' };

/** Where a stream is: what it sent so far, and when its pieces are due. */
interface Progress {
  sentPieces: number;
  sentDeltas: number;
  startedAt: number;
  perPiece: number;
}

/** Ends a stream early for a mid-stream fault, once `DELTAS_BEFORE_FAULT` deltas went out; false when none strikes now. */
async function strike(sse: StreamWriter, plan: ReplyPlan, progress: Progress, totalDeltas: number): Promise<boolean> {
  if (progress.sentDeltas !== Math.min(plan.faultAfterDeltas ?? DELTAS_BEFORE_FAULT, totalDeltas)) return false;
  if (plan.fault?.kind === 'error_mid_stream') {
    await sse.event('error', errorBody(new ClaudeApiError('overloaded_error', 'Overloaded')));
    sse.end();
    return true;
  }
  if (plan.fault?.kind === 'cut_mid_stream') {
    sse.cut();
    return true;
  }
  return false;
}

/** How a block's stream ended: whole, ended by a fault, or closed (client gone, stand-in stopping). */
type BlockEnd = 'done' | 'struck' | 'closed';

/** One block: its start (and the ping after the first), its deltas paced on the clock, its stop. */
async function streamBlock(sse: StreamWriter, plan: ReplyPlan, block: ReplyBlock, index: number, progress: Progress, signal: AbortSignal): Promise<BlockEnd> {
  const send = (event: StreamEvent): Promise<void> => sse.event(event.type, event);
  const totalDeltas = plan.reply.blocks.reduce((sum, each) => sum + each.deltas.length, 0);
  await send({ type: 'content_block_start', index, content_block: block.start });
  if (index === 0) await send({ type: 'ping' });
  for (const { delta, pieces } of block.deltas) {
    if (await strike(sse, plan, progress, totalDeltas)) return 'struck';
    // Scheduled against the start, so pacing does not drift with slow writes.
    await pause(progress.startedAt + (progress.sentPieces + pieces) * progress.perPiece - performance.now(), signal);
    if (!sse.open) return 'closed';
    await send({ type: 'content_block_delta', index, delta });
    progress.sentPieces += pieces;
    progress.sentDeltas += 1;
  }
  if (await strike(sse, plan, progress, totalDeltas)) return 'struck';
  if (!sse.open) return 'closed';
  await send({ type: 'content_block_stop', index });
  return 'done';
}

/** Streaming: message_start, then each block (content_block_start, ping after the first, deltas, content_block_stop), message_delta, message_stop. */
export async function streamMessage(sse: StreamWriter, plan: ReplyPlan, pacing: Pacing, signal: AbortSignal): Promise<Outcome> {
  const send = (event: StreamEvent): Promise<void> => sse.event(event.type, event);
  const { reply } = plan;
  const message = messageOf(plan, newId('msg'));
  sse.start();

  // The start event carries the skeleton: no content, no stop reason, output_tokens 1 as the API sends it.
  await send({ type: 'message_start', message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: usageOf(plan.usage, 1) } });
  if (reply.blocks.length === 0) await send({ type: 'ping' });
  const progress: Progress = {
    sentPieces: 0,
    sentDeltas: 0,
    startedAt: performance.now() + firstTokenDelay(plan, pacing),
    perPiece: pacing.tokensPerSecond > 0 ? 1000 / pacing.tokensPerSecond : 0,
  };
  let end: BlockEnd = reply.blocks.length === 0 && await strike(sse, plan, progress, 0) ? 'struck' : 'done';
  for (const [index, block] of reply.blocks.entries()) {
    if (end !== 'done') break;
    end = await streamBlock(sse, plan, block, index, progress, signal);
  }
  if (end === 'done' && !sse.open) end = 'closed';
  // Closed: the client left, or the stand-in is closing and drops the connection as a stopped server would.
  if (end === 'closed') sse.cut();
  if (end !== 'done') return { outputTokens: progress.sentPieces, completed: false };
  await send({
    type: 'message_delta',
    delta: { stop_reason: reply.stopReason, stop_sequence: reply.stopSequence, stop_details: null, container: null },
    usage: deltaUsageOf(plan.usage, progress.sentPieces),
  });
  await send({ type: 'message_stop' });
  sse.end();
  return { outputTokens: progress.sentPieces, completed: true };
}
