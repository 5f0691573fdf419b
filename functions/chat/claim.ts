// Claims a turn: PENDING -> STREAMING with a lease, in one conditional write. A second invocation for the same
// reply (a duplicate event) finds it no longer PENDING and does nothing. A resumed reply (one that awaited client
// tools) keeps its blocks, content and seq: the claim hands them back with the results that came in.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageSk, messagesPk } from '../../resolvers/keys.ts';
import type { Reservation } from '../../resolvers/quota.ts';
import type { ChatEvent, TokenUsage } from './event.ts';
import type { StoredBlock } from './transcript.ts';
import { isConditionFailure, type WriteCounter } from './table.ts';

export interface ClaimedReply {
  /** Set when a stop was asked for before the reply started. */
  stopRequested: boolean;
  /** What sendMessage or regenerateReply reserved of the day's quota for this reply; absent on a reply written before reservations. */
  reservation?: Reservation;
  /** The client tools sendMessage gave for this reply (resolvers/client-tools.ts); [] when none. */
  clientTools: { name: string; description: string; inputSchema: string }[];
  /** For a resumed reply: what it had written, and the client tools' results by toolUseId. */
  blocks: StoredBlock[];
  seq: number;
  toolResults: Record<string, { output: string; isError: boolean }>;
  /** For a resumed reply: what its earlier invocations spent. */
  usage?: TokenUsage;
}

export async function claimReply(db: DynamoDBDocumentClient, tableName: string, event: ChatEvent, options: { leaseMs: number; now: number; writes: WriteCounter }): Promise<ClaimedReply | undefined> {
  options.writes.add();
  try {
    const answer = await db.send(new UpdateCommand({
      TableName: tableName,
      Key: { pk: messagesPk(event.owner, event.conversationId), sk: messageSk(event.replyId) },
      UpdateExpression: event.resume ? 'SET #status = :streaming, leaseUntil = :lease, updatedAt = :now' : 'SET #status = :streaming, leaseUntil = :lease, updatedAt = :now, seq = :zero, content = :empty',
      ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':streaming': 'STREAMING', ':pending': 'PENDING', ':lease': options.now + options.leaseMs, ':now': new Date(options.now).toISOString(),
        ...(event.resume ? {} : { ':zero': 0, ':empty': '' }),
      },
      ReturnValues: 'ALL_NEW',
    }));
    const item = answer.Attributes ?? {};
    const reservation = item['reservation'] as Reservation | undefined;
    return {
      stopRequested: item['stopRequested'] === true,
      ...(reservation ? { reservation } : {}),
      clientTools: (item['clientTools'] ?? []) as ClaimedReply['clientTools'],
      blocks: event.resume ? ((item['blocks'] ?? []) as StoredBlock[]) : [],
      seq: event.resume ? Number(item['seq'] ?? 0) : 0,
      toolResults: (item['toolResults'] ?? {}) as ClaimedReply['toolResults'],
      ...(event.resume && item['usage'] ? { usage: item['usage'] as TokenUsage } : {}),
    };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
