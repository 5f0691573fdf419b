// Pipeline step: one BatchGetItem for what a turn needs to know: the conversation, today's usage
// (quota) and whether this clientMessageId was already sent (idempotency).
import { runtime, util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { clientMessageSk, conversationSk, messagesPk, usageSk, userPk } from '../keys.ts';
import { dailyQuota, today } from '../quota.ts';
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
    // The same clientMessageId again: answer with the turn it made, and make no other.
    ctx.stash.duplicate = true;
    return { userMessage: sent.userMessage, reply: sent.reply };
  }
  if (!conversation) util.error('The conversation was not found.', 'NotFound');
  const spent = ((usage?.inputTokens as number | undefined) ?? 0) + ((usage?.outputTokens as number | undefined) ?? 0);
  const quota = dailyQuota(ctx.env);
  if (spent >= quota) util.error(`You have used your ${quota} tokens for today; the quota resets at midnight UTC.`, 'QuotaExceeded');
  ctx.stash.conversation = conversation;
  return null;
}

/** Later steps skip themselves when the turn was a duplicate. */
export function skipIfDuplicate(ctx: Context): void {
  if (ctx.stash.duplicate) runtime.earlyReturn((ctx.prev as { result: unknown }).result, { skipTo: 'END' });
}
