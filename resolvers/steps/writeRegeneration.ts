// Pipeline step: in one transaction, the old reply goes, a PENDING one takes its place, the
// conversation records it as active (condition: no other reply in flight), and the new reply's
// reservation of the day's quota is made (quota.ts), whose condition admits it or refuses it.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { cancellationReasons } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { conversationSk, messageSk, messagesPk, recencySk, userPk } from '../keys.ts';
import {
  planReservation, promptEstimate, raiseCancelledTurn, reservationWrite, unclaimedReservation, type DailyUsageItem, type Reservation,
} from '../quota.ts';
import type { Conversation, Message } from '../schema-types.ts';
import { START_LEASE_MS } from './writeTurn.ts';

export function request(ctx: Context) {
  const sub = callerSub(ctx);
  const table = ctx.env.TABLE_NAME ?? '';
  const conversation = ctx.stash.conversation as Conversation;
  const replaced = ctx.stash.replaced as (Message & { reservation?: Reservation | null }) | null;
  const answered = ctx.stash.answered as Message;
  const previous = ctx.stash.previousReplyId as string | null | undefined;
  const pk = messagesPk(sub, conversation.id);
  const now = util.time.nowISO8601();
  // The reply replaced, if its function never claimed it (a PENDING reply past its lease), gives its reservation back.
  const released = replaced && replaced.id === ctx.stash.staleReplyId ? unclaimedReservation(replaced) : 0;
  const plan = planReservation(
    ctx.stash.usage as DailyUsageItem | null, promptEstimate(conversation, answered.content, ctx.env), ctx.env, released,
  );
  const reply = {
    id: util.autoUlid(), conversationId: conversation.id, role: 'ASSISTANT', content: '', status: 'PENDING', seq: 0, createdAt: now, updatedAt: now,
    replyTo: answered.id, leaseUntil: util.time.nowEpochMilliSeconds() + START_LEASE_MS, stopRequested: false,
    reservation: { day: plan.day, tokens: plan.tokens, outputTokens: plan.outputTokens },
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
  if (replaced) {
    // A reservation given back only while the reply is still unclaimed: a late claim makes this a Conflict.
    items.push({ deleteItem: { table, key: { pk, sk: messageSk(replaced.id) }, ...(released > 0 ? { condition: { status: { eq: 'PENDING' } } } : {}) } });
  }
  const request = ddb.transactWrite({ items });
  ctx.stash.reservationIndex = request.transactItems.length;
  request.transactItems.push(reservationWrite(table, sub, plan));
  return request;
}

export function response(ctx: Context) {
  if (ctx.error) {
    raiseCancelledTurn(cancellationReasons(ctx.result), ctx.stash.reservationIndex as number, ctx.env, 'A reply is already being written in this conversation: wait for it to finish or stop it.');
  }
  return ctx.stash.turn as unknown;
}
