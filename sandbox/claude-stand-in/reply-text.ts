// Deterministic reply text: the same request gets the same text, picked from a fixed corpus by a hash of the prompt.
// Directives in the last user message with text (`[[standin:tokens=1000]]`, `[[standin:fault=...]]`,
// `[[standin:think]]`, `[[standin:tool=NAME {...}]]`) steer length, faults, thinking and tool calls (reply.ts).
import { createHash } from 'node:crypto';
import { invalidRequest } from './errors.ts';
import type { MessageRequest, PromptMessage } from './prompt.ts';
import { splitTokens } from './tokens.ts';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

/** Token-sized pieces grouped as the deltas of a stream: 1 to 3 pieces each. */
export interface Delta {
  text: string;
  pieces: number;
}

/** Generated text: its pieces (their count is its share of `output_tokens`), its deltas, and why it ended. */
export interface TextPlan {
  pieces: string[];
  deltas: Delta[];
  text: string;
  /** `end_turn` when the text ended by itself. */
  stopReason: StopReason;
  stopSequence: string | null;
}

/** `[[standin:tool=NAME {"json":"input"}]]`: one tool call, in the order written. */
export interface ToolDirective {
  name: string;
  input: Record<string, unknown>;
}

export interface Directives {
  tokens?: number;
  fault?: string;
  /** `[[standin:think]]`: open the answer with a thinking block when the request enables thinking. */
  think?: boolean;
  tools: ToolDirective[];
}

export const CORPUS: readonly string[] = [
  'The sandbox answers from a fixed set of sentences, so every run of a test sees the same words.',
  'A stand-in keeps the shape of the real service while costing nothing to call.',
  'Streaming sends the reply a few tokens at a time, which is how a chat window fills in as you watch.',
  'Each reply is chosen by a hash of the conversation, so changing one word changes the answer.',
  'Prompt caching lets a long system prompt be read once and reused for the next few minutes.',
  'Latency matters less than correctness when the goal is a repeatable test.',
  'A message ends with a stop reason that tells the client why generation stopped.',
  'Token counts here are estimates, close enough for budgets and dashboards.',
  'When the maximum number of tokens is reached, the reply is cut where it stands.',
  'Errors follow the documented shape, with a type and a message inside an error object.',
  'A retry after an overloaded answer often succeeds a moment later.',
  'Good tests name one behaviour and check one outcome.',
  'The quick brown fox jumps over the lazy dog while the model keeps counting tokens.',
  'Short answers are easier to read, but benchmarks sometimes need long ones.',
  'Every conversation alternates between the user and the assistant.',
  'A connection that drops in the middle of a stream leaves the client to decide what to do next.',
  'Offline development is faster when every dependency runs on the same machine.',
  'Deterministic output makes snapshots and comparisons meaningful.',
  'The first token usually takes longer than the ones that follow it.',
  'Usage figures arrive at the start of the stream and are completed at its end.',
  'Consistency between runs is what turns a flaky suite into a trusted one.',
  'A small corpus, shuffled well, reads surprisingly like real prose.',
  'Rate limits protect a shared service from a single noisy client.',
  'The assistant has considered your message carefully and offers this reply.',
];

const DIRECTIVE = /\[\[standin:([^\]]*)\]\]/g;
// The input is JSON, which may hold `]`: it runs to the first `}` followed by `]]`.
const TOOL_DIRECTIVE = /\[\[standin:tool=([^\s\]]*)(?:\s+(\{[\s\S]*?\}))?\s*\]\]/g;
const DEFAULT_MIN_PIECES = 30;
const DEFAULT_SPREAD = 60;
const QUOTE_WORDS = 12;

/** The last user message with text in it (tool results come in messages without): where directives are read. */
export function lastUserTextIndex(messages: readonly PromptMessage[]): number {
  return messages.findLastIndex((message) => message.role === 'user' && message.blocks.some((block) => block.type === 'text'));
}

/** The text blocks of that message, joined: where directives and the quoted question come from. */
export function lastUserText(messages: PromptMessage[]): string {
  const last = messages[lastUserTextIndex(messages)];
  const texts = last?.blocks.map((block) => (block.type === 'text' ? block.body.text : undefined)) ?? [];
  return texts.filter((text): text is string => typeof text === 'string').join('\n');
}

function toolDirectiveOf(name: string, json: string | undefined): ToolDirective {
  let input: unknown = {};
  try {
    if (json !== undefined) input = JSON.parse(json);
  } catch {
    input = undefined;
  }
  if (!/^[a-zA-Z0-9_-]{1,128}$/.test(name) || typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidRequest(`stand-in directive tool=${name}: write [[standin:tool=NAME {"json":"object"}]] with a tool name and a JSON object`);
  }
  return { name, input: input as Record<string, unknown> };
}

export function directivesOf(request: MessageRequest): Directives {
  const directives: Directives = { tools: [] };
  const text = lastUserText(request.messages);
  for (const match of text.matchAll(TOOL_DIRECTIVE)) directives.tools.push(toolDirectiveOf(match[1] ?? '', match[2]));
  const rest = text.replace(TOOL_DIRECTIVE, ' ');
  const malformed = /\[\[standin:tool=([^\s\]]*)/.exec(rest);
  if (malformed) toolDirectiveOf(malformed[1] ?? '', '');
  for (const match of rest.matchAll(DIRECTIVE)) {
    for (const pair of (match[1] ?? '').split(/[,\s]+/)) {
      const [key, ...rest] = pair.split('=');
      const value = rest.join('=');
      if (key === 'tokens' && /^\d+$/.test(value)) directives.tokens = Number(value);
      if (key === 'fault' && value !== '') directives.fault = value;
      if (key === 'think' && rest.length === 0) directives.think = true;
    }
  }
  return directives;
}

/** mulberry32: a tiny seeded generator; the seed is the prompt's hash, so the picks repeat. */
export function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

export function promptSeed(request: MessageRequest): number {
  return seedOf(JSON.stringify([request.model, request.system.map((b) => b.body), request.messages.map((m) => [m.role, m.blocks.map((b) => b.body)])]));
}

/** The quoted question, then the notes (attachments, tool results), each a sentence of its own. */
function opening(request: MessageRequest, notes: readonly string[]): string {
  const words = lastUserText(request.messages).replace(TOOL_DIRECTIVE, ' ').replace(DIRECTIVE, ' ').split(/\s+/).filter(Boolean);
  const quoted = words.slice(0, QUOTE_WORDS).join(' ') + (words.length > QUOTE_WORDS ? '…' : '');
  return [words.length === 0 ? 'Here is my answer.' : `You wrote: "${quoted}".`, ...notes].join(' ');
}

/** Sentences from the corpus until at least `minPieces` pieces; whole sentences, so the text ends cleanly. */
export function corpusText(start: string, random: () => number, minPieces: number): string {
  let text = start;
  let pieces = splitTokens(text).length;
  while (pieces < minPieces) {
    const sentence = CORPUS[Math.floor(random() * CORPUS.length)] ?? '';
    text += ` ${sentence}`;
    pieces += splitTokens(` ${sentence}`).length;
  }
  return text;
}

function earliestStop(text: string, stopSequences: string[]): { index: number; sequence: string } | undefined {
  let found: { index: number; sequence: string } | undefined;
  for (const sequence of stopSequences) {
    const index = text.indexOf(sequence);
    if (index >= 0 && (!found || index < found.index)) found = { index, sequence };
  }
  return found;
}

export function groupDeltas(pieces: string[], random: () => number): Delta[] {
  const deltas: Delta[] = [];
  for (let i = 0; i < pieces.length;) {
    const group = pieces.slice(i, i + 1 + Math.floor(random() * 3));
    deltas.push({ text: group.join(''), pieces: group.length });
    i += group.length;
  }
  return deltas;
}

/** Cuts generated pieces at the first stop sequence, then at `budget` pieces (what max_tokens leaves). */
export function planPieces(pieces: string[], request: MessageRequest, budget: number, random: () => number): TextPlan {
  let stopReason: StopReason = 'end_turn';
  let stopSequence: string | null = null;
  const stop = earliestStop(pieces.join(''), request.stopSequences);
  if (stop) {
    pieces = splitTokens(pieces.join('').slice(0, stop.index));
    stopReason = 'stop_sequence';
    stopSequence = stop.sequence;
  }
  if (pieces.length > budget) {
    pieces = pieces.slice(0, Math.max(0, budget));
    stopReason = 'max_tokens';
    stopSequence = null;
  }
  return { pieces, deltas: groupDeltas(pieces, random), text: pieces.join(''), stopReason, stopSequence };
}

/**
 * The answer's text: the quoted question and `notes`, then corpus sentences to the length asked for (`tokens=`) or
 * picked by the prompt's hash, cut by stop sequences and `budget`. A plain request's text depends on nothing else.
 */
export function composeText(request: MessageRequest, notes: readonly string[], budget: number): TextPlan {
  const random = generator(promptSeed(request));
  const { tokens } = directivesOf(request);
  const target = tokens ?? DEFAULT_MIN_PIECES + Math.floor(random() * DEFAULT_SPREAD);
  let pieces = splitTokens(corpusText(opening(request, notes), random, target));
  if (tokens !== undefined) pieces = pieces.slice(0, tokens);
  return planPieces(pieces, request, budget, random);
}
