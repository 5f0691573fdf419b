// Pipeline step: one page of a conversation's messages, newest first.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { MESSAGE_PREFIX, messagesPk } from '../keys.ts';
import type { QueryListMessagesArgs } from '../schema-types.ts';
import { pageSize } from '../validation.ts';

export function request(ctx: Context<QueryListMessagesArgs>) {
  return ddb.query({
    query: { pk: { eq: messagesPk(callerSub(ctx), ctx.args.conversationId) }, sk: { beginsWith: MESSAGE_PREFIX } },
    scanIndexForward: false,
    limit: pageSize(ctx.args.limit, 50),
    ...(ctx.args.nextToken ? { nextToken: ctx.args.nextToken } : {}),
  });
}

export function response(ctx: Context<QueryListMessagesArgs>) {
  raiseDataSourceError(ctx.error);
  return ctx.result as unknown;
}
