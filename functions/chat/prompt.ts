// The Messages API request for a reply: the system prompt and the history, with prompt-caching breakpoints on the
// system prompt and on the last message of the previous turn. Turn N+1's breakpoint then finds, within the 20
// blocks the cache looks back ("Prompt caching"), the prefix turn N wrote, and reads it instead of paying for it.
import type { MessageCreateParamsStreaming, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { HistoryMessage } from './history.ts';

export interface PromptInput {
  model: string;
  maxTokens: number;
  systemPrompt: string | null | undefined;
  /** Oldest first; the last is the user message being answered. */
  history: readonly HistoryMessage[];
}

export type ReplyRequest = Omit<MessageCreateParamsStreaming, 'stream'>;

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Alternating turns, as the Messages API needs. history.ts already leaves failed turns out, so roles alternate;
 * as a guard, consecutive messages of one role become one turn of several text blocks, and a history can't start
 * with the assistant.
 */
export function toTurns(history: readonly HistoryMessage[]): { role: 'user' | 'assistant'; blocks: TextBlockParam[] }[] {
  const turns: { role: 'user' | 'assistant'; blocks: TextBlockParam[] }[] = [];
  for (const message of history) {
    const role = message.role === 'USER' ? 'user' : 'assistant';
    const last = turns.at(-1);
    if (last === undefined && role === 'assistant') continue;
    if (last?.role === role) last.blocks.push({ type: 'text', text: message.content });
    else turns.push({ role, blocks: [{ type: 'text', text: message.content }] });
  }
  return turns;
}

export function buildPrompt(input: PromptInput): ReplyRequest {
  const turns = toTurns(input.history);
  // The previous turn ends with the message just before the current user turn.
  const previous = turns.at(-2)?.blocks.at(-1);
  if (previous) previous.cache_control = EPHEMERAL;
  const messages: MessageParam[] = turns.map((turn) => ({ role: turn.role, content: turn.blocks }));
  const system = input.systemPrompt ? [{ type: 'text' as const, text: input.systemPrompt, cache_control: EPHEMERAL }] : undefined;
  return { model: input.model, max_tokens: input.maxTokens, messages, ...(system ? { system } : {}) };
}
