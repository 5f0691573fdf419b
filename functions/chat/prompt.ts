// The Messages API request for a reply: the system prompt and the history, with prompt-caching breakpoints on the
// system prompt, on the last message of the previous turn and on the answered message's last attachment. Turn N+1's
// breakpoint then finds, within the 20 blocks the cache looks back ("Prompt caching"), the prefix turn N wrote, and
// reads it instead of paying for it; the calls of a tool loop read the attachments from the cache too.
import type { MessageCreateParamsStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { attachmentBlock, type AttachmentFiles, type PromptBlock } from './attachments.ts';
import type { HistoryMessage } from './history.ts';

export interface PromptInput {
  model: string;
  maxTokens: number;
  systemPrompt: string | null | undefined;
  /** Oldest first; the last is the user message being answered. */
  history: readonly HistoryMessage[];
  /** The files read for the history's attachments (functions/chat/attachments.ts); none read when absent. */
  attachments?: AttachmentFiles;
  /**
   * The user's opaque id for the API's `metadata.user_id` (Anthropic uses it to detect abuse; the user's Cognito sub
   * is a UUID, no name or email). Anthropic's API only: Bedrock's request body has no metadata.
   */
  userId?: string;
}

export type ReplyRequest = Omit<MessageCreateParamsStreaming, 'stream'>;

const EPHEMERAL = { type: 'ephemeral' } as const;

type Turn = { role: 'user' | 'assistant'; blocks: PromptBlock[] };

/** A message's blocks: a user message's attachments first ("Vision": images before the text), then its text. */
function blocksOf(message: HistoryMessage, files: AttachmentFiles, citations: boolean): PromptBlock[] {
  const attached = message.role === 'USER' ? (message.attachments ?? []).map((attachment) => attachmentBlock(attachment, files.get(attachment.id), citations)) : [];
  return [...attached, { type: 'text', text: message.content }];
}

/**
 * Alternating turns, as the Messages API needs. history.ts already leaves failed turns out, so roles alternate;
 * as a guard, consecutive messages of one role become one turn of several blocks, and a history can't start
 * with the assistant. Documents are cited when the answered message asks for it.
 */
export function toTurns(history: readonly HistoryMessage[], files: AttachmentFiles = new Map()): Turn[] {
  const citations = history.at(-1)?.citations === true;
  const turns: Turn[] = [];
  for (const message of history) {
    const role = message.role === 'USER' ? 'user' : 'assistant';
    const last = turns.at(-1);
    if (last === undefined && role === 'assistant') continue;
    if (last?.role === role) last.blocks.push(...blocksOf(message, files, citations));
    else turns.push({ role, blocks: blocksOf(message, files, citations) });
  }
  return turns;
}

export function buildPrompt(input: PromptInput): ReplyRequest {
  const turns = toTurns(input.history, input.attachments);
  // The previous turn ends with the message just before the current user turn.
  const previous = turns.at(-2)?.blocks.at(-1);
  if (previous) previous.cache_control = EPHEMERAL;
  // The answered message's files are the big part of its prompt: cached from its first call on.
  const file = turns.at(-1)?.blocks.findLast((block) => block.type === 'image' || block.type === 'document');
  if (file) file.cache_control = EPHEMERAL;
  const messages: MessageParam[] = turns.map((turn) => ({ role: turn.role, content: turn.blocks }));
  const system = input.systemPrompt ? [{ type: 'text' as const, text: input.systemPrompt, cache_control: EPHEMERAL }] : undefined;
  return { model: input.model, max_tokens: input.maxTokens, messages, ...(system ? { system } : {}), ...(input.userId ? { metadata: { user_id: input.userId } } : {}) };
}
