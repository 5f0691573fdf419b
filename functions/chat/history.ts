// The conversation history a reply is written from: the newest messages up to the user message being answered
// that fit a token budget. One Query, newest first, with a limit: never the whole conversation.
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttachmentRef } from '../../resolvers/attachment-limits.ts';
import { MESSAGE_PREFIX, messageSk, messagesPk } from '../../resolvers/keys.ts';
import { estimateTokens } from '../../resolvers/tokens.ts';
import type { ChatEvent } from './event.ts';

export { estimateTokens };

export interface HistoryMessage {
  id: string;
  role: 'USER' | 'ASSISTANT';
  content: string;
  status?: string;
  /** A user message's attachments: references, whose files functions/chat/attachments.ts reads. */
  attachments?: AttachmentRef[] | null;
  /** A user message that asked for citations of its documents. */
  citations?: boolean | null;
}

export class HistoryError extends Error {
  readonly errorType = 'HistoryError';
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** A reply that belongs in a prompt: finished (stopped ones too), with text. */
export function usableReply(reply: Pick<HistoryMessage, 'content' | 'status'>): boolean {
  return reply.content !== '' && (reply.status === 'COMPLETE' || reply.status === 'STOPPED');
}

/**
 * From messages newest first (the first being the user message answered), the newest that fit `budget` tokens
 * (estimateTokens), oldest first. The user message always goes in. Earlier messages go in as whole turns, a user
 * message with the reply to it, and stop at the first turn that does not fit, so the history has no holes.
 * The rule for failed turns: a user message goes in only with a usable reply (COMPLETE, or STOPPED with text);
 * one whose reply failed (ERROR, INTERRUPTED, stopped before any text) or has none is left out with its reply, as if
 * that turn had not happened. The user resends or regenerates it if they want it answered, and the prompt always
 * alternates user and assistant, as the Messages API needs.
 */
export function selectHistory(newestFirst: readonly HistoryMessage[], userMessageId: string, budget: number): HistoryMessage[] {
  const [current, ...older] = newestFirst;
  if (current?.id !== userMessageId || current.role !== 'USER') throw new HistoryError(`user message ${userMessageId} was not found`);
  const chosen: HistoryMessage[] = [current];
  let used = estimateTokens(current.content);
  // Newest first, a turn's reply comes before the user message it answers.
  let reply: HistoryMessage | undefined;
  for (const message of older) {
    if (message.role === 'ASSISTANT') {
      reply = usableReply(message) ? message : undefined;
      continue;
    }
    if (reply === undefined) continue;
    used += estimateTokens(reply.content) + estimateTokens(message.content);
    if (used > budget) break;
    chosen.push(reply, message);
    reply = undefined;
  }
  return chosen.reverse();
}

export interface HistoryOptions {
  tableName: string;
  tokenBudget: number;
  maxMessages: number;
}

/**
 * Reads up to `maxMessages` messages at or before the user message (ULIDs sort by time), so the reply being
 * written, and a reply being regenerated, are never in its own prompt.
 */
export async function loadHistory(db: DynamoDBDocumentClient, event: ChatEvent, options: HistoryOptions): Promise<HistoryMessage[]> {
  const answer = await db.send(new QueryCommand({
    TableName: options.tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
    ExpressionAttributeValues: { ':pk': messagesPk(event.owner, event.conversationId), ':first': MESSAGE_PREFIX, ':last': messageSk(event.userMessageId) },
    ExpressionAttributeNames: { '#role': 'role', '#status': 'status' },
    ProjectionExpression: 'id, #role, content, #status, attachments, citations',
    ScanIndexForward: false,
    Limit: options.maxMessages,
  }));
  return selectHistory((answer.Items ?? []) as HistoryMessage[], event.userMessageId, options.tokenBudget);
}
