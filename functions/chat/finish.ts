// Ends a reply: one write of the final message, the day's usage ADDed (settling the reply's quota reservation),
// the conversation freed (activeReplyId cleared, moved up the recency index, the size of its context kept for the
// next turn's reservation), then DONE or ERROR published with the final status.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationSk, messageSk, messagesPk, recencySk, usageSk, userPk } from '../../resolvers/keys.ts';
import type { Reservation } from '../../resolvers/quota.ts';
import type { ChatEvent, MessageStatus, ReplyEvent, TokenUsage } from './event.ts';
import { estimateTokens, usableReply } from './history.ts';
import { isConditionFailure, type WriteCounter } from './table.ts';
import type { StoredBlock } from './transcript.ts';

/** How an invocation leaves the reply: ended, or paused until the client tools it called are answered. */
export type FinalStatus = Extract<MessageStatus, 'COMPLETE' | 'STOPPED' | 'ERROR' | 'AWAITING_TOOL_RESULT'>;

export interface FinalReply {
  status: FinalStatus;
  content: string;
  /** Every block the reply finished (a tool call without its result is kept, its status saying it did not run to the end). */
  blocks: StoredBlock[];
  /** The seq of the DONE or ERROR event that announces this state. */
  seq: number;
  /** What this invocation spent: added to the day's usage. */
  usage: TokenUsage;
  /** What the whole reply spent, when it was resumed after client tools (the earlier invocations' usage and this). */
  messageUsage?: TokenUsage;
  stopReason: string | null;
  error: string | null;
}

/** Usage items expire 90 days after their last update. */
const USAGE_TTL_SECONDS = 90 * 24 * 60 * 60;

export interface FinishOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  now: number;
  writes: WriteCounter;
  log: { warn(message: string, extra: Record<string, unknown>): void };
  /** What the turn reserved of the day's quota when it was sent: replaced here by what the reply spent. */
  reservation?: Reservation | undefined;
  /** The estimated tokens of the prompt (system prompt and history); absent when the history was never read. */
  promptEstimate?: number | undefined;
}

async function writeMessage(event: ChatEvent, reply: FinalReply, options: FinishOptions, updatedAt: string): Promise<void> {
  options.writes.add();
  // A paused reply starts an empty map for submitToolResult's answers; its reservation is settled now (addUsage), so
  // the resumed invocation finds none to settle twice.
  const paused = reply.status === 'AWAITING_TOOL_RESULT';
  try {
    await options.db.send(new UpdateCommand({
      TableName: options.tableName,
      Key: { pk: messagesPk(event.owner, event.conversationId), sk: messageSk(event.replyId) },
      UpdateExpression: 'SET content = :content, blocks = :blocks, #status = :status, seq = :seq, #usage = :usage, stopReason = :stopReason, #error = :error, updatedAt = :now'
        + (paused ? ', toolResults = :noResults REMOVE leaseUntil, reservation' : ' REMOVE leaseUntil'),
      ConditionExpression: 'attribute_exists(pk) AND #status = :streaming',
      ExpressionAttributeNames: { '#status': 'status', '#usage': 'usage', '#error': 'error' },
      ExpressionAttributeValues: {
        ':content': reply.content, ':blocks': reply.blocks, ':status': reply.status, ':seq': reply.seq, ':usage': reply.messageUsage ?? reply.usage,
        ':stopReason': reply.stopReason, ':error': reply.error, ':now': updatedAt, ':streaming': 'STREAMING',
        ...(paused ? { ':noResults': {} } : {}),
      },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    options.log.warn('the reply was no longer streaming; its final state was not written', { status: reply.status });
  }
}

/**
 * The day's usage ADDed, on the day the turn reserved it (so a turn that crosses midnight settles where it held):
 * committedTokens, what replies spent plus what running turns hold, gets the usage and gives the reservation back.
 * A reply without a reservation (sent before reservations existed) leaves committedTokens as it is.
 */
async function addUsage(event: ChatEvent, usage: TokenUsage, options: FinishOptions): Promise<void> {
  const { reservation } = options;
  if (!reservation && Object.values(usage).every((tokens) => tokens === 0)) return;
  options.writes.add();
  const day = reservation?.day ?? new Date(options.now).toISOString().slice(0, 10);
  const settle = reservation ? ', committedTokens :settled' : '';
  await options.db.send(new UpdateCommand({
    TableName: options.tableName,
    Key: { pk: userPk(event.owner), sk: usageSk(day) },
    UpdateExpression: `ADD inputTokens :input, outputTokens :output, cacheReadInputTokens :cacheRead, cacheCreationInputTokens :cacheCreation${settle} SET expiresAt = :expiresAt`,
    ExpressionAttributeValues: {
      ':input': usage.inputTokens, ':output': usage.outputTokens, ':cacheRead': usage.cacheReadInputTokens,
      ':cacheCreation': usage.cacheCreationInputTokens, ':expiresAt': Math.floor(options.now / 1000) + USAGE_TTL_SECONDS,
      ...(reservation ? { ':settled': usage.inputTokens + usage.outputTokens - reservation.tokens } : {}),
    },
  }));
}

/**
 * The tokens of the context the next message is added to, when this reply joins the history (history.ts): the
 * prompt (as the model counted it, or the estimate if larger or if it never said) and the reply. Undefined when the
 * history stays as it was before this turn (a failed reply, which the next prompt leaves out with its message).
 */
function contextAfter(reply: FinalReply, promptEstimate: number | undefined): number | undefined {
  if (promptEstimate === undefined || !usableReply(reply)) return undefined;
  const { inputTokens, cacheReadInputTokens, cacheCreationInputTokens, outputTokens } = reply.usage;
  return Math.max(inputTokens + cacheReadInputTokens + cacheCreationInputTokens, promptEstimate) + Math.max(outputTokens, estimateTokens(reply.content));
}

async function freeConversation(event: ChatEvent, options: FinishOptions, updatedAt: string, contextTokens: number | undefined): Promise<void> {
  options.writes.add();
  const context = contextTokens === undefined ? '' : ', contextTokens = :context';
  try {
    await options.db.send(new UpdateCommand({
      TableName: options.tableName,
      Key: { pk: userPk(event.owner), sk: conversationSk(event.conversationId) },
      UpdateExpression: `SET updatedAt = :now, gsi1pk = :owner, gsi1sk = :recency${context} REMOVE activeReplyId`,
      ConditionExpression: 'activeReplyId = :replyId',
      ExpressionAttributeValues: {
        ':now': updatedAt, ':owner': userPk(event.owner), ':recency': recencySk(updatedAt, event.conversationId), ':replyId': event.replyId,
        ...(contextTokens === undefined ? {} : { ':context': contextTokens }),
      },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // Deleted, or the lease ran out and a reader freed it for another reply: that reply's state is not ours to touch.
    options.log.warn('the conversation no longer waits for this reply', {});
  }
}

/** The final writes; the message first, so a client woken by DONE reads the final state. */
export async function finishReply(event: ChatEvent, reply: FinalReply, options: FinishOptions): Promise<void> {
  const updatedAt = new Date(options.now).toISOString();
  await writeMessage(event, reply, options, updatedAt);
  // A paused reply keeps the conversation: no other turn starts until it ends (resolvers/steps/checkActiveReply.ts).
  if (reply.status === 'AWAITING_TOOL_RESULT') await addUsage(event, reply.usage, options);
  else await Promise.all([addUsage(event, reply.usage, options), freeConversation(event, options, updatedAt, contextAfter(reply, options.promptEstimate))]);
}

/** The event that tells subscribers how the reply ended. */
export function finalEvent(event: ChatEvent, reply: FinalReply): ReplyEvent {
  return {
    conversationId: event.conversationId,
    messageId: event.replyId,
    owner: event.owner,
    seq: reply.seq,
    type: reply.status === 'ERROR' ? 'ERROR' : 'DONE',
    status: reply.status,
    stopReason: reply.stopReason,
    error: reply.error,
    usage: reply.messageUsage ?? reply.usage,
  };
}
