// Deterministic replies: the same request gets the same text, picked from a fixed corpus by a hash of the prompt.
// Directives in the last user message (`[[standin:tokens=1000]]`, `[[standin:fault=...]]`) steer length and faults.
import { createHash } from 'node:crypto';
import { splitTokens } from './tokens.ts';
import type { MessageRequest, PromptMessage } from './validate.ts';

export type StopReason = 'end_turn' | 'max_tokens' | 'stop_sequence';

export interface Reply {
  /** Token-sized pieces, in order; their count is `output_tokens`. */
  pieces: string[];
  /** Pieces grouped as the `text_delta`s of a stream: 1 to 3 pieces each. */
  deltas: Delta[];
  text: string;
  stopReason: StopReason;
  stopSequence: string | null;
}

export interface Delta {
  text: string;
  pieces: number;
}

export interface Directives {
  tokens?: number;
  fault?: string;
}

const CORPUS: readonly string[] = [
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
const DEFAULT_MIN_PIECES = 30;
const DEFAULT_SPREAD = 60;
const QUOTE_WORDS = 12;

/** The text blocks of the last user message, joined: where directives and the quoted question come from. */
function lastUserText(messages: PromptMessage[]): string {
  const last = messages.findLast((message) => message.role === 'user');
  const texts = last?.blocks.map((block) => (block.type === 'text' ? block.body.text : undefined)) ?? [];
  return texts.filter((text): text is string => typeof text === 'string').join('\n');
}

export function directivesOf(request: MessageRequest): Directives {
  const directives: Directives = {};
  for (const match of lastUserText(request.messages).matchAll(DIRECTIVE)) {
    for (const pair of (match[1] ?? '').split(/[,\s]+/)) {
      const [key, ...rest] = pair.split('=');
      const value = rest.join('=');
      if (key === 'tokens' && /^\d+$/.test(value)) directives.tokens = Number(value);
      if (key === 'fault' && value !== '') directives.fault = value;
    }
  }
  return directives;
}

/** mulberry32: a tiny seeded generator; the seed is the prompt's hash, so the picks repeat. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function promptSeed(request: MessageRequest): number {
  const prompt = JSON.stringify([request.model, request.system.map((b) => b.body), request.messages.map((m) => [m.role, m.blocks.map((b) => b.body)])]);
  return createHash('sha256').update(prompt).digest().readUInt32BE(0);
}

function opening(request: MessageRequest): string {
  const words = lastUserText(request.messages).replace(DIRECTIVE, ' ').split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'Here is my answer.';
  const quoted = words.slice(0, QUOTE_WORDS).join(' ') + (words.length > QUOTE_WORDS ? '…' : '');
  return `You wrote: "${quoted}".`;
}

/** Sentences from the corpus until at least `minPieces` pieces; whole sentences, so the text ends cleanly. */
function composeText(request: MessageRequest, random: () => number, minPieces: number): string {
  let text = opening(request);
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

function groupDeltas(pieces: string[], random: () => number): Delta[] {
  const deltas: Delta[] = [];
  for (let i = 0; i < pieces.length;) {
    const group = pieces.slice(i, i + 1 + Math.floor(random() * 3));
    deltas.push({ text: group.join(''), pieces: group.length });
    i += group.length;
  }
  return deltas;
}

export function composeReply(request: MessageRequest): Reply {
  const random = generator(promptSeed(request));
  const { tokens } = directivesOf(request);
  const target = tokens ?? DEFAULT_MIN_PIECES + Math.floor(random() * DEFAULT_SPREAD);
  let pieces = splitTokens(composeText(request, random, target));
  if (tokens !== undefined) pieces = pieces.slice(0, tokens);
  let stopReason: StopReason = 'end_turn';
  let stopSequence: string | null = null;
  const stop = earliestStop(pieces.join(''), request.stopSequences);
  if (stop) {
    pieces = splitTokens(pieces.join('').slice(0, stop.index));
    stopReason = 'stop_sequence';
    stopSequence = stop.sequence;
  }
  if (pieces.length > request.maxTokens) {
    pieces = pieces.slice(0, request.maxTokens);
    stopReason = 'max_tokens';
    stopSequence = null;
  }
  return { pieces, deltas: groupDeltas(pieces, random), text: pieces.join(''), stopReason, stopSequence };
}
