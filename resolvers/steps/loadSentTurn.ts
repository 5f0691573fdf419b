// Pipeline step: a message sent again with the same clientMessageId is answered with the turn it made, its reply
// read as it is now (streaming, complete, ...), not as it was when first sent. Any other send skips this step.
import { runtime, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { messageSk, messagesPk } from '../keys.ts';
import { withLease, type LeasedMessage } from '../lease.ts';

interface SentTurn { userMessage: unknown; reply: LeasedMessage & { id: string; conversationId: string } }

export function request(ctx: Context) {
  if (!ctx.stash.duplicate) return runtime.earlyReturn((ctx.prev as { result: unknown }).result, { skipTo: 'NEXT' });
  const { reply } = ctx.stash.sent as SentTurn;
  return ddb.get({ key: { pk: messagesPk(callerSub(ctx), reply.conversationId), sk: messageSk(reply.id) }, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  const sent = ctx.stash.sent as SentTurn;
  // A reply since replaced by regenerateReply is gone: the first answer stands, as readers see it now.
  const reply = (ctx.result as SentTurn['reply'] | null) ?? sent.reply;
  return { userMessage: sent.userMessage, reply: withLease(reply) };
}
