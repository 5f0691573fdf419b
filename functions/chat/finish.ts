// Ends a reply: one write of the final message, the day's usage ADDed, the conversation freed (activeReplyId
// cleared, moved up the recency index), then DONE or ERROR published with the final status.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { conversationSk, messageSk, messagesPk, recencySk, usageSk, userPk } from '../../resolvers/keys.ts';
import type { ChatEvent, MessageStatus, ReplyEvent, TokenUsage } from './event.ts';
import { isConditionFailure, type WriteCounter } from './table.ts';

export type FinalStatus = Extract<MessageStatus, 'COMPLETE' | 'STOPPED' | 'ERROR'>;

export interface FinalReply {
  status: FinalStatus;
  content: string;
  /** The seq of the DONE or ERROR event that announces this state. */
  seq: number;
  usage: TokenUsage;
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
}

async function writeMessage(event: ChatEvent, reply: FinalReply, options: FinishOptions, updatedAt: string): Promise<void> {
  options.writes.add();
  try {
    await options.db.send(new UpdateCommand({
      TableName: options.tableName,
      Key: { pk: messagesPk(event.owner, event.conversationId), sk: messageSk(event.replyId) },
      UpdateExpression: 'SET content = :content, #status = :status, seq = :seq, #usage = :usage, stopReason = :stopReason, #error = :error, updatedAt = :now REMOVE leaseUntil',
      ConditionExpression: 'attribute_exists(pk) AND #status = :streaming',
      ExpressionAttributeNames: { '#status': 'status', '#usage': 'usage', '#error': 'error' },
      ExpressionAttributeValues: {
        ':content': reply.content, ':status': reply.status, ':seq': reply.seq, ':usage': reply.usage,
        ':stopReason': reply.stopReason, ':error': reply.error, ':now': updatedAt, ':streaming': 'STREAMING',
      },
    }));
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    options.log.warn('the reply was no longer streaming; its final state was not written', { status: reply.status });
  }
}

async function addUsage(event: ChatEvent, usage: TokenUsage, options: FinishOptions): Promise<void> {
  if (Object.values(usage).every((tokens) => tokens === 0)) return;
  options.writes.add();
  const day = new Date(options.now).toISOString().slice(0, 10);
  await options.db.send(new UpdateCommand({
    TableName: options.tableName,
    Key: { pk: userPk(event.owner), sk: usageSk(day) },
    UpdateExpression: 'ADD inputTokens :input, outputTokens :output, cacheReadInputTokens :cacheRead, cacheCreationInputTokens :cacheCreation SET expiresAt = :expiresAt',
    ExpressionAttributeValues: {
      ':input': usage.inputTokens, ':output': usage.outputTokens, ':cacheRead': usage.cacheReadInputTokens,
      ':cacheCreation': usage.cacheCreationInputTokens, ':expiresAt': Math.floor(options.now / 1000) + USAGE_TTL_SECONDS,
    },
  }));
}

async function freeConversation(event: ChatEvent, options: FinishOptions, updatedAt: string): Promise<void> {
  options.writes.add();
  try {
    await options.db.send(new UpdateCommand({
      TableName: options.tableName,
      Key: { pk: userPk(event.owner), sk: conversationSk(event.conversationId) },
      UpdateExpression: 'SET updatedAt = :now, gsi1pk = :owner, gsi1sk = :recency REMOVE activeReplyId',
      ConditionExpression: 'activeReplyId = :replyId',
      ExpressionAttributeValues: { ':now': updatedAt, ':owner': userPk(event.owner), ':recency': recencySk(updatedAt, event.conversationId), ':replyId': event.replyId },
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
  await Promise.all([addUsage(event, reply.usage, options), freeConversation(event, options, updatedAt)]);
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
    usage: reply.usage,
  };
}
