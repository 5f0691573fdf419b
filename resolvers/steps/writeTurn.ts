// Pipeline step: the turn in one TransactWriteItems, so it holds together or not at all: the user
// message, the assistant message (PENDING, with a lease and its reservation), the conversation's activeReplyId,
// the idempotency record of clientMessageId, if a dead reply is being replaced its INTERRUPTED end, each attachment
// sent marked SENT (on the condition that it is still PENDING), and the reservation of the day's quota (quota.ts),
// whose condition admits the turn or refuses it.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { attachmentTokens, type AttachmentRef } from '../attachment-limits.ts';
import type { StoredClientTool } from '../client-tools.ts';
import { cancellationReasons } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { attachmentSk, clientMessageSk, conversationSk, messageSk, messagesPk, recencySk, userPk } from '../keys.ts';
import { INTERRUPTED_REASON } from '../lease.ts';
import {
  planReservation, promptEstimate, raiseCancelledTurn, reservationWrite, unclaimedReservation, type DailyUsageItem, type Reservation,
} from '../quota.ts';
import type { Conversation, MutationSendMessageArgs } from '../schema-types.ts';
import { skipIfDuplicate } from './loadTurnContext.ts';

interface StaleReply { id: string; status: string; reservation: Reservation | null }

/** How long a PENDING reply may wait for its function before readers call it interrupted. */
export const START_LEASE_MS = 60000;

export function request(ctx: Context<MutationSendMessageArgs>) {
  skipIfDuplicate(ctx);
  const sub = callerSub(ctx);
  const table = ctx.env.TABLE_NAME ?? '';
  const conversation = ctx.stash.conversation as Conversation;
  const { conversationId, clientMessageId } = ctx.args.input;
  // Two ULIDs from the same millisecond are not ordered: the smaller one is the user's message.
  const first = util.autoUlid();
  const second = util.autoUlid();
  const userMessageId = first < second ? first : second;
  const replyId = first < second ? second : first;
  const now = util.time.nowISO8601();
  const pk = messagesPk(sub, conversationId);
  const content = ctx.stash.content as string;
  const clientTools = (ctx.stash.clientTools ?? []) as StoredClientTool[];
  const stale = ctx.stash.staleReply as StaleReply | null | undefined;
  const attachments = (ctx.stash.attachments ?? []) as AttachmentRef[];
  const attachmentEstimate = attachments.reduce((sum, attachment) => sum + attachmentTokens(attachment), 0);
  const plan = planReservation(
    ctx.stash.usage as DailyUsageItem | null, promptEstimate(conversation, content, ctx.env) + attachmentEstimate, ctx.env, unclaimedReservation(stale),
  );
  // The attachments as references (blocks.ts shows them as IMAGE and DOCUMENT blocks); citations for its documents.
  const userMessage = {
    id: userMessageId, conversationId, role: 'USER', content, status: 'COMPLETE', seq: 0,
    createdAt: now, updatedAt: now, clientMessageId,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(ctx.stash.citations ? { citations: true } : {}),
  };
  const reply = {
    id: replyId, conversationId, role: 'ASSISTANT', content: '', status: 'PENDING', seq: 0, createdAt: now, updatedAt: now,
    replyTo: userMessageId, leaseUntil: util.time.nowEpochMilliSeconds() + START_LEASE_MS, stopRequested: false,
    reservation: { day: plan.day, tokens: plan.tokens, outputTokens: plan.outputTokens },
    // The client tools the model may call in this reply (client-tools.ts): read by the chat function at each call.
    ...(clientTools.length > 0 ? { clientTools } : {}),
  };
  const previous = ctx.stash.previousReplyId as string | null | undefined;
  ctx.stash.turn = { userMessage, reply };
  const items: ddb.TransactWriteItem[] = [
    { putItem: { table, key: { pk, sk: messageSk(userMessageId) }, item: userMessage, condition: { pk: { attributeExists: false } } } },
    { putItem: { table, key: { pk, sk: messageSk(replyId) }, item: reply, condition: { pk: { attributeExists: false } } } },
    {
      updateItem: {
        table,
        key: { pk: userPk(sub), sk: conversationSk(conversationId) },
        update: {
          activeReplyId: ddb.operations.replace(replyId),
          updatedAt: ddb.operations.replace(now),
          gsi1sk: ddb.operations.replace(recencySk(now, conversation.id)),
          messageCount: ddb.operations.increment(2),
        },
        condition: previous ? { activeReplyId: { eq: previous } } : { activeReplyId: { attributeExists: false } },
      },
    },
    {
      putItem: {
        table,
        key: { pk, sk: clientMessageSk(clientMessageId) },
        item: { userMessage, reply, expiresAt: util.time.nowEpochSeconds() + 24 * 3600 },
        condition: { pk: { attributeExists: false } },
      },
    },
  ];
  if (stale) {
    items.push({
      updateItem: {
        table,
        key: { pk, sk: messageSk(stale.id) },
        update: { status: ddb.operations.replace('INTERRUPTED'), error: ddb.operations.replace(INTERRUPTED_REASON), updatedAt: ddb.operations.replace(now) },
        // Still as read: a late claim or final write of its function makes the turn a Conflict, not an overwrite.
        condition: { status: { eq: stale.status } },
      },
    });
  }
  // Each attachment is sent once: a second message with it (or this one at the same time) cancels the transaction.
  ctx.stash.attachmentIndexes = attachments.map((_attachment, position) => items.length + position);
  for (const attachment of attachments) {
    items.push({
      updateItem: {
        table,
        key: { pk, sk: attachmentSk(attachment.id) },
        update: { status: ddb.operations.replace('SENT'), messageId: ddb.operations.replace(userMessageId) },
        condition: { status: { eq: 'PENDING' } },
      },
    });
  }
  const request = ddb.transactWrite({ items });
  ctx.stash.reservationIndex = request.transactItems.length;
  request.transactItems.push(reservationWrite(table, sub, plan));
  return request;
}

export function response(ctx: Context<MutationSendMessageArgs>) {
  if (ctx.error) {
    // A cancelled transaction: another reply started meanwhile, the same message was sent at the same time, an
    // attachment was sent by another message at the same time, or concurrent turns took what was left of the day's quota.
    const reasons = cancellationReasons(ctx.result);
    const taken = ((ctx.stash.attachmentIndexes ?? []) as number[]).filter((index) => reasons[index] === 'ConditionalCheckFailed');
    if (taken.length > 0) util.error('An attachment of this message was sent with another message at the same time; upload the file again to send it.', 'Conflict');
    raiseCancelledTurn(
      reasons, ctx.stash.reservationIndex as number, ctx.env,
      'A reply is already being written in this conversation, or this message is being sent twice at once.',
    );
  }
  return ctx.stash.turn as unknown;
}
