// The answer to a valid request, block by block, the one generator behind every route (Anthropic's and Bedrock's,
// streamed or whole): a thinking block and its signature, the text (with what was attached and what tools returned),
// a cited text block for each document with citations on, and the tool call a directive asks for; or what a script's
// step says (script.ts). Each block comes with the deltas a stream sends for it; every generated piece counts toward
// `max_tokens` and `output_tokens`.
import type { ContentBlock, RawContentBlockDelta } from '@anthropic-ai/sdk/resources/messages';
import { attachmentOf } from './blocks.ts';
import { citationsFor, type Citation } from './citations.ts';
import { newId } from './ids.ts';
import type { MessageRequest } from './prompt.ts';
import { composeText, corpusText, directivesOf, generator, groupDeltas, planPieces, promptSeed, seedOf, type Directives, type StopReason, type TextPlan, type ToolDirective } from './reply-text.ts';
import type { ScriptStep } from './script.ts';
import { turnStart, type ThinkingSigner } from './thinking.ts';
import { nextToolStep, toolNotes, type ToolStep } from './tool-calls.ts';
import { toolNames } from './tools.ts';
import { splitTokens } from './tokens.ts';

export type { StopReason } from './reply-text.ts';

export interface PlannedDelta {
  delta: RawContentBlockDelta;
  /** Generated pieces the delta carries (0 for a signature or a citation). */
  pieces: number;
}

export interface ReplyBlock {
  /** The block as `content_block_start` announces it: empty. */
  start: ContentBlock;
  /** The block as the whole Message holds it: what its deltas add up to. */
  final: ContentBlock;
  deltas: PlannedDelta[];
}

export interface Reply {
  blocks: ReplyBlock[];
  /** Pieces generated, all blocks together: the answer's `output_tokens`. */
  outputTokens: number;
  stopReason: StopReason;
  stopSequence: string | null;
}

const THINKING_PIECES = 40;

/** Builds the reply block by block; `budget` is what max_tokens still allows. */
class ReplyBuilder {
  readonly blocks: ReplyBlock[] = [];
  budget: number;

  constructor(maxTokens: number) {
    this.budget = maxTokens;
  }

  add(start: ContentBlock, final: ContentBlock, deltas: PlannedDelta[]): void {
    this.blocks.push({ start, final, deltas });
    this.budget -= deltas.reduce((sum, delta) => sum + delta.pieces, 0);
  }

  finish(stopReason: StopReason, stopSequence: string | null = null): Reply {
    const outputTokens = this.blocks.flatMap((block) => block.deltas).reduce((sum, delta) => sum + delta.pieces, 0);
    return { blocks: this.blocks, outputTokens, stopReason, stopSequence };
  }
}

function textDeltas(plan: TextPlan): PlannedDelta[] {
  return plan.deltas.map(({ text, pieces }) => ({ delta: { type: 'text_delta', text }, pieces }));
}

/** Thinking (`text`, else from the corpus) within its budget, and the signature of exactly that text; true when max_tokens cut it. */
function addThinking(reply: ReplyBuilder, request: MessageRequest, budgetTokens: number, signer: ThinkingSigner, text?: string): boolean {
  const random = generator(promptSeed(request) ^ seedOf('thinking'));
  const all = splitTokens(text ?? corpusText('Let me think about this request.', random, THINKING_PIECES)).slice(0, budgetTokens);
  const cut = all.length > reply.budget;
  const pieces = cut ? all.slice(0, Math.max(0, reply.budget)) : all;
  if (pieces.length === 0) return cut;
  const thinking = pieces.join('');
  const signature = signer.sign(thinking);
  const deltas: PlannedDelta[] = groupDeltas(pieces, random).map(({ text, pieces: count }) => ({ delta: { type: 'thinking_delta', thinking: text }, pieces: count }));
  deltas.push({ delta: { type: 'signature_delta', signature }, pieces: 0 });
  reply.add({ type: 'thinking', thinking: '', signature: '' }, { type: 'thinking', thinking, signature }, deltas);
  return cut;
}

function addText(reply: ReplyBuilder, plan: TextPlan, citation?: Citation): void {
  if (plan.pieces.length === 0) return;
  const deltas = textDeltas(plan);
  if (citation) deltas.unshift({ delta: { type: 'citations_delta', citation }, pieces: 0 });
  reply.add({ type: 'text', text: '', citations: null }, { type: 'text', text: plan.text, citations: citation ? [citation] : null }, deltas);
}

/** A fixed sentence as generated text: cut by stop sequences and the budget like any other. */
function fixedText(request: MessageRequest, text: string, budget: number): TextPlan {
  return planPieces(splitTokens(text), request, budget, generator(seedOf(text)));
}

/** `[image image/png 68 bytes]` for each image or document sent as data in the user's messages. */
function attachmentNotes(request: MessageRequest): string[] {
  return request.messages
    .filter((message) => message.role === 'user')
    .flatMap((message) => message.blocks.flatMap((block) => attachmentOf(block) ?? []))
    .map(({ kind, mediaType, bytes }) => `[${kind} ${mediaType} ${bytes} bytes]`);
}

function citedSentence(citation: Citation): string {
  const n = citation.document_index;
  return citation.cited_text === '' ? ` Document ${n} is cited here.` : ` Document ${n} says: "${citation.cited_text}".`;
}

/** One tool_use block; false when its input does not fit: the stand-in never sends a half-written input. */
function addToolUse(reply: ReplyBuilder, { name, input }: ToolDirective): boolean {
  const json = JSON.stringify(input);
  const pieces = splitTokens(json);
  if (pieces.length > reply.budget) return false;
  const deltas = groupDeltas(pieces, generator(seedOf(json))).map(({ text, pieces: count }) => ({ delta: { type: 'input_json_delta' as const, partial_json: text }, pieces: count }));
  const id = newId('toolu');
  const caller = { type: 'direct' as const };
  reply.add({ type: 'tool_use', id, name, input: {}, caller }, { type: 'tool_use', id, name, input, caller }, deltas);
  return true;
}

function addToolCall(reply: ReplyBuilder, request: MessageRequest, step: Extract<ToolStep, { kind: 'call' }>): Reply {
  // A forced tool choice makes the call the whole answer ("Tool use": tool_choice any and tool prefill the call).
  if (request.toolChoice.type === 'auto') {
    const intro = fixedText(request, `Let me call ${step.call.name}.`, reply.budget);
    addText(reply, intro);
    if (intro.stopReason !== 'end_turn') return reply.finish(intro.stopReason, intro.stopSequence);
  }
  return reply.finish(addToolUse(reply, step.call) ? 'tool_use' : 'max_tokens');
}

/** A step's text, then its tool calls; a call of a tool the request does not offer (or with tool_choice none) is said, not made. */
function addScripted(reply: ReplyBuilder, request: MessageRequest, step: ScriptStep): Reply {
  const offered = request.toolChoice.type === 'none' ? [] : toolNames(request.tools);
  const calls = (step.toolCalls ?? []).map((call) => ({ name: call.name, input: call.input ?? {} }));
  const refusals = calls.filter((call) => !offered.includes(call.name))
    .map((call) => ` I cannot call the tool ${call.name}: ${request.toolChoice.type === 'none' ? 'tool_choice is none' : 'it is not among the tools of this request'}.`);
  const text = fixedText(request, `${step.text ?? ''}${refusals.join('')}`.trim(), reply.budget);
  addText(reply, text);
  if (text.stopReason !== 'end_turn') return reply.finish(text.stopReason, text.stopSequence);
  const made = calls.filter((call) => offered.includes(call.name));
  for (const call of made) if (!addToolUse(reply, call)) return reply.finish('max_tokens');
  return reply.finish(made.length > 0 ? 'tool_use' : 'end_turn');
}

/**
 * The reply to a valid request; the same request gets the same blocks (a tool call's id aside). A script's step with
 * text or tool calls makes the content instead of the message's directives; its thinking replaces theirs.
 */
export function composeReply(request: MessageRequest, signer: ThinkingSigner, scripted?: ScriptStep): Reply {
  const reply = new ReplyBuilder(request.maxTokens);
  const ownContent = scripted !== undefined && (scripted.text !== undefined || scripted.toolCalls !== undefined);
  const directives: Directives = ownContent ? { tools: [] } : directivesOf(request);
  const step = nextToolStep(request, directives.tools);
  const thinking = scripted?.thinking ?? (directives.think === true || step.kind === 'call' || undefined);
  // Thinking opens an assistant turn, not its continuation after tool results (no interleaved thinking).
  const opensTurn = turnStart(request.messages) === request.messages.length - 1;
  if (request.thinking.enabled && opensTurn && thinking !== undefined) {
    if (addThinking(reply, request, request.thinking.budgetTokens, signer, thinking === true ? undefined : thinking)) return reply.finish('max_tokens');
  }
  if (ownContent) return addScripted(reply, request, scripted);
  if (step.kind === 'call') return addToolCall(reply, request, step);
  const text = composeText(request, [...attachmentNotes(request), ...toolNotes(step)], reply.budget);
  addText(reply, text);
  if (text.stopReason !== 'end_turn') return reply.finish(text.stopReason, text.stopSequence);
  for (const citation of citationsFor(request)) {
    const cited = fixedText(request, citedSentence(citation), reply.budget);
    addText(reply, cited, citation);
    if (cited.stopReason !== 'end_turn') return reply.finish(cited.stopReason, cited.stopSequence);
  }
  return reply.finish('end_turn');
}
