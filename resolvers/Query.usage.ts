// The caller's token usage for a day (UTC) and the daily quota from the API's environment.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { usageSk, userPk } from './keys.ts';
import type { DailyUsage, QueryUsageArgs } from './schema-types.ts';
import { dailyQuota, today } from './quota.ts';

export function request(ctx: Context<QueryUsageArgs>) {
  const date = ctx.args.date ?? today();
  // AWSDate allows an offset (2025-05-01Z); usage is kept per UTC day under the plain date.
  if (!util.matches('\\d{4}-\\d{2}-\\d{2}', date)) util.error(`date must be a day such as 2025-05-01, without an offset: '${date}'.`, 'ValidationError');
  ctx.stash.date = date;
  return ddb.get({ key: { pk: userPk(callerSub(ctx)), sk: usageSk(date) } });
}

export function response(ctx: Context<QueryUsageArgs>): DailyUsage {
  raiseDataSourceError(ctx.error);
  const item = (ctx.result ?? {}) as Partial<DailyUsage>;
  const quota = dailyQuota(ctx.env);
  const inputTokens = item.inputTokens ?? 0;
  const outputTokens = item.outputTokens ?? 0;
  return {
    date: ctx.stash.date as string,
    inputTokens,
    outputTokens,
    cacheReadInputTokens: item.cacheReadInputTokens ?? 0,
    cacheCreationInputTokens: item.cacheCreationInputTokens ?? 0,
    quota,
    remaining: util.math.maxVal(0, quota - inputTokens - outputTokens),
  };
}
