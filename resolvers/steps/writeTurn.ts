// Pipeline step: the turn in one TransactWriteItems, so it holds together or not at all: the user
// message, the assistant message (PENDING, with a lease), the conversation's activeReplyId, the
// idempotency record of clientMessageId, and, if a dead reply is being replaced, its INTERRUPTED end.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { callerSub } from '../identity.ts';
import { clientMessageSk, conversationSk, messageSk, messagesPk, recencySk, userPk } from '../keys.ts';
import { INTERRUPTED_REASON } from '../lease.ts';
import type { Conversation, MutationSendMessageArgs } from '../schema-types.ts';
import { skipIfDuplicate } from './loadTurnContext.ts';

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
  const userMessage = {
    id: userMessageId, conversationId, role: 'USER', content: ctx.stash.content as string, status: 'COMPLETE', seq: 0,
    createdAt: now, updatedAt: now, clientMessageId,
  };
  const reply = {
    id: replyId, conversationId, role: 'ASSISTANT', content: '', status: 'PENDING', seq: 0, createdAt: now, updatedAt: now,
    replyTo: userMessageId, leaseUntil: util.time.nowEpochMilliSeconds() + START_LEASE_MS, stopRequested: false,
  };
  const stale = ctx.stash.staleReplyId as string | null | undefined;
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
        key: { pk, sk: messageSk(stale) },
        update: { status: ddb.operations.replace('INTERRUPTED'), error: ddb.operations.replace(INTERRUPTED_REASON), updatedAt: ddb.operations.replace(now) },
      },
    });
  }
  return ddb.transactWrite({ items });
}

export function response(ctx: Context<MutationSendMessageArgs>) {
  if (ctx.error) {
    // A cancelled transaction: another reply started meanwhile, or the same message was sent at the same time.
    util.error('A reply is already being written in this conversation, or this message is being sent twice at once.', 'Conflict');
  }
  return ctx.stash.turn as unknown;
}
