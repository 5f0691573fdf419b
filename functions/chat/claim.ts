// Claims a turn: PENDING -> STREAMING with a lease, in one conditional write. A second invocation for the same
// reply (a duplicate event) finds it no longer PENDING and does nothing.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageSk, messagesPk } from '../../resolvers/keys.ts';
import type { Reservation } from '../../resolvers/quota.ts';
import type { ChatEvent } from './event.ts';
import { isConditionFailure, type WriteCounter } from './table.ts';

export interface ClaimedReply {
  /** Set when a stop was asked for before the reply started. */
  stopRequested: boolean;
  /** What sendMessage or regenerateReply reserved of the day's quota for this reply; absent on a reply written before reservations. */
  reservation?: Reservation;
}

export async function claimReply(db: DynamoDBDocumentClient, tableName: string, event: ChatEvent, options: { leaseMs: number; now: number; writes: WriteCounter }): Promise<ClaimedReply | undefined> {
  options.writes.add();
  try {
    const answer = await db.send(new UpdateCommand({
      TableName: tableName,
      Key: { pk: messagesPk(event.owner, event.conversationId), sk: messageSk(event.replyId) },
      UpdateExpression: 'SET #status = :streaming, leaseUntil = :lease, updatedAt = :now, seq = :zero, content = :empty',
      ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':streaming': 'STREAMING', ':pending': 'PENDING', ':lease': options.now + options.leaseMs,
        ':now': new Date(options.now).toISOString(), ':zero': 0, ':empty': '',
      },
      ReturnValues: 'ALL_NEW',
    }));
    const reservation = answer.Attributes?.['reservation'] as Reservation | undefined;
    return { stopRequested: answer.Attributes?.['stopRequested'] === true, ...(reservation ? { reservation } : {}) };
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}
