// Pipeline step: in one transaction, the old reply goes, a PENDING one takes its place, and the
// conversation records it as active (condition: no other reply in flight).
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { callerSub } from '../identity.ts';
import { conversationSk, messageSk, messagesPk, recencySk, userPk } from '../keys.ts';
import type { Conversation, Message } from '../schema-types.ts';
import { START_LEASE_MS } from './writeTurn.ts';

export function request(ctx: Context) {
  const sub = callerSub(ctx);
  const table = ctx.env.TABLE_NAME ?? '';
  const conversation = ctx.stash.conversation as Conversation;
  const replaced = ctx.stash.replaced as Message | null;
  const answered = ctx.stash.answered as Message;
  const previous = ctx.stash.previousReplyId as string | null | undefined;
  const pk = messagesPk(sub, conversation.id);
  const now = util.time.nowISO8601();
  const reply = {
    id: util.autoUlid(), conversationId: conversation.id, role: 'ASSISTANT', content: '', status: 'PENDING', seq: 0, createdAt: now, updatedAt: now,
    replyTo: answered.id, leaseUntil: util.time.nowEpochMilliSeconds() + START_LEASE_MS, stopRequested: false,
  };
  ctx.stash.turn = { userMessage: { id: answered.id, conversationId: conversation.id }, reply };
  const items: ddb.TransactWriteItem[] = [
    { putItem: { table, key: { pk, sk: messageSk(reply.id) }, item: reply, condition: { pk: { attributeExists: false } } } },
    {
      updateItem: {
        table,
        key: { pk: userPk(sub), sk: conversationSk(conversation.id) },
        update: { activeReplyId: ddb.operations.replace(reply.id), updatedAt: ddb.operations.replace(now), gsi1sk: ddb.operations.replace(recencySk(now, conversation.id)) },
        condition: previous ? { activeReplyId: { eq: previous } } : { activeReplyId: { attributeExists: false } },
      },
    },
  ];
  if (replaced) items.push({ deleteItem: { table, key: { pk, sk: messageSk(replaced.id) } } });
  return ddb.transactWrite({ items });
}

export function response(ctx: Context) {
  if (ctx.error) util.error('A reply is already being written in this conversation: wait for it to finish or stop it.', 'Conflict');
  return ctx.stash.turn as unknown;
}
