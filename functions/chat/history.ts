// The conversation history a reply is written from: the newest messages up to the user message being answered
// that fit a token budget. One Query, newest first, with a limit: never the whole conversation.
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MESSAGE_PREFIX, messageSk, messagesPk } from '../../resolvers/keys.ts';
import type { ChatEvent } from './event.ts';

export interface HistoryMessage {
  id: string;
  role: 'USER' | 'ASSISTANT';
  content: string;
  status?: string;
}

export class HistoryError extends Error {
  readonly errorType = 'HistoryError';
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** The estimate the budget is counted in: about four characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Earlier messages that belong in a prompt: finished replies (stopped ones too) and the user messages they answer. */
function usable(message: HistoryMessage): boolean {
  if (message.content === '') return false;
  // A user message has nothing to stream: one stored without a status counts as complete.
  if (message.status === undefined) return message.role === 'USER';
  return message.status === 'COMPLETE' || message.status === 'STOPPED';
}

/**
 * From messages newest first (the first being the user message answered), the newest that fit `budget` tokens,
 * oldest first. The user message always goes in; older ones stop at the first that does not fit, so the history
 * has no holes.
 */
export function selectHistory(newestFirst: readonly HistoryMessage[], userMessageId: string, budget: number): HistoryMessage[] {
  const [current, ...older] = newestFirst;
  if (current?.id !== userMessageId || current.role !== 'USER') throw new HistoryError(`user message ${userMessageId} was not found`);
  const chosen: HistoryMessage[] = [current];
  let used = estimateTokens(current.content);
  for (const message of older) {
    if (!usable(message)) continue;
    used += estimateTokens(message.content);
    if (used > budget) break;
    chosen.push(message);
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
    ProjectionExpression: 'id, #role, content, #status',
    ScanIndexForward: false,
    Limit: options.maxMessages,
  }));
  return selectHistory((answer.Items ?? []) as HistoryMessage[], event.userMessageId, options.tokenBudget);
}
