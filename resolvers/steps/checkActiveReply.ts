// Pipeline step: a conversation takes one reply at a time. A reply in flight refuses the turn
// (Conflict), unless its lease has run out: then its function died and the turn may take over.
import { runtime, util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { messageSk, messagesPk } from '../keys.ts';
import { withLease } from '../lease.ts';
import type { Reservation } from '../quota.ts';
import type { Conversation } from '../schema-types.ts';
import { skipIfDuplicate } from './loadTurnContext.ts';

export function request(ctx: Context) {
  skipIfDuplicate(ctx);
  const conversation = ctx.stash.conversation as Conversation;
  if (!conversation.activeReplyId) return runtime.earlyReturn((ctx.prev as { result: unknown }).result, { skipTo: 'NEXT' });
  return ddb.get({ key: { pk: messagesPk(callerSub(ctx), conversation.id), sk: messageSk(conversation.activeReplyId) }, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  const reply = ctx.result as { id: string; status: string; leaseUntil?: number; reservation?: Reservation | null } | null;
  if (reply && withLease(reply).status !== 'INTERRUPTED' && (reply.status === 'PENDING' || reply.status === 'STREAMING')) {
    util.error('A reply is already being written in this conversation: wait for it to finish or stop it.', 'Conflict');
  }
  if (reply?.status === 'AWAITING_TOOL_RESULT') {
    util.error('The reply in this conversation waits for a client tool\'s result: answer it with submitToolResult, or stop the reply.', 'Conflict');
  }
  // A live reply past its lease is marked INTERRUPTED by the turn; an ended or missing one is left
  // as it is. Either way the turn replaces activeReplyId on the condition that it is still this one.
  const stale = reply && (reply.status === 'PENDING' || reply.status === 'STREAMING') ? reply : null;
  ctx.stash.staleReplyId = stale ? stale.id : null;
  // Its status and reservation: the takeover is conditional on the status read, and gives back the reservation of a
  // reply never claimed (quota.ts, unclaimedReservation).
  ctx.stash.staleReply = stale ? { id: stale.id, status: stale.status, reservation: stale.reservation ?? null } : null;
  ctx.stash.previousReplyId = (ctx.stash.conversation as Conversation).activeReplyId;
  return (ctx.prev as { result: unknown }).result;
}
