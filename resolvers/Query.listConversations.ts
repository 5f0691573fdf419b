// The caller's conversations, most recently updated first: one Query on the recency index.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { callerSub } from './identity.ts';
import { RECENCY_INDEX, userPk } from './keys.ts';
import type { ConversationPage, QueryListConversationsArgs } from './schema-types.ts';
import { raiseDataSourceError } from './errors.ts';
import { pageSize } from './validation.ts';

export function request(ctx: Context<QueryListConversationsArgs>) {
  return ddb.query({
    index: RECENCY_INDEX,
    query: { gsi1pk: { eq: userPk(callerSub(ctx)) } },
    scanIndexForward: false,
    limit: pageSize(ctx.args.limit, 20),
    ...(ctx.args.nextToken ? { nextToken: ctx.args.nextToken } : {}),
  });
}

export function response(ctx: Context<QueryListConversationsArgs>): ConversationPage {
  raiseDataSourceError(ctx.error);
  const result = ctx.result as { items: ConversationPage['items']; nextToken: string | null };
  return { items: result.items, nextToken: result.nextToken ?? null };
}
