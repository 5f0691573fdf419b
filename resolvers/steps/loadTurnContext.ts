// Pipeline step: one BatchGetItem for what a turn needs to know: the conversation, today's usage
// (quota) and whether this clientMessageId was already sent (idempotency).
import { runtime, util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { clientMessageSk, conversationSk, messagesPk, usageSk, userPk } from '../keys.ts';
import { requireTokensLeft, today } from '../quota.ts';
import type { MutationSendMessageArgs } from '../schema-types.ts';

export function request(ctx: Context<MutationSendMessageArgs>) {
  const sub = callerSub(ctx);
  const { conversationId, clientMessageId } = ctx.args.input;
  return ddb.batchGet({
    tables: {
      [ctx.env.TABLE_NAME ?? '']: {
        keys: [
          { pk: userPk(sub), sk: conversationSk(conversationId) },
          { pk: userPk(sub), sk: usageSk(today()) },
          { pk: messagesPk(sub, conversationId), sk: clientMessageSk(clientMessageId) },
        ],
        consistentRead: true,
      },
    },
  });
}

export function response(ctx: Context<MutationSendMessageArgs>) {
  raiseDataSourceError(ctx.error);
  const [conversation, usage, sent] = (ctx.result as { data: Record<string, (Record<string, unknown> | null)[]> }).data[ctx.env.TABLE_NAME ?? ''] ?? [];
  if (sent) {
    // The same clientMessageId again: the turn it made is answered (loadSentTurn reads its reply as it is now), and
    // no other is made. The same id with other content is a client's mistake, refused before anything is written.
    const turn = { userMessage: sent.userMessage as { content: string }, reply: sent.reply as { id: string; conversationId: string } };
    if (turn.userMessage.content !== ctx.stash.content) {
      util.error(`clientMessageId '${ctx.args.input.clientMessageId}' was already used for a different message in this conversation; send a new message with a new clientMessageId.`, 'Conflict');
    }
    ctx.stash.duplicate = true;
    ctx.stash.sent = turn;
    return turn;
  }
  if (!conversation) util.error('The conversation was not found.', 'NotFound');
  // Refused here once the day's tokens are spent; writeTurn reserves what the turn may use, or refuses it.
  requireTokensLeft(usage, ctx.env);
  ctx.stash.conversation = conversation;
  ctx.stash.usage = usage ?? null;
  return null;
}

/** Later steps skip themselves when the turn was a duplicate. */
export function skipIfDuplicate(ctx: Context): void {
  if (ctx.stash.duplicate) runtime.earlyReturn((ctx.prev as { result: unknown }).result, { skipTo: 'END' });
}
