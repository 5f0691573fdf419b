// The caller's device sessions that have not expired (TTL deletes lag, so expiry is checked here too).
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { SESSION_PREFIX, userPk } from './keys.ts';
import type { DeviceSession } from './schema-types.ts';

export function request(ctx: Context) {
  return ddb.query({
    query: { pk: { eq: userPk(callerSub(ctx)) }, sk: { beginsWith: SESSION_PREFIX } },
    filter: { expiresAt: { gt: util.time.nowEpochSeconds() } },
    // The expiry filter applies after the limit: leave room for sessions TTL has not deleted yet.
    limit: 1000,
  });
}

export function response(ctx: Context): DeviceSession[] {
  raiseDataSourceError(ctx.error);
  return (ctx.result as { items: DeviceSession[] }).items;
}
