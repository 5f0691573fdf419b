// Pipeline step: today's usage, read before regenerateReply writes a reply; refused with QuotaExceeded once the
// day's tokens are spent, as sendMessage is. writeRegeneration reserves what the new reply may use, or refuses it.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { usageSk, userPk } from '../keys.ts';
import { requireTokensLeft, today, type DailyUsageItem } from '../quota.ts';

export function request(ctx: Context) {
  return ddb.get({ key: { pk: userPk(callerSub(ctx)), sk: usageSk(today()) }, consistentRead: true });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  const usage = (ctx.result ?? null) as DailyUsageItem | null;
  requireTokensLeft(usage, ctx.env);
  ctx.stash.usage = usage;
  return (ctx.prev as { result: unknown }).result;
}
