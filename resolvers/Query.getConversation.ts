// One of the caller's conversations, or null: the key starts with the caller's sub.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { conversationSk, userPk } from './keys.ts';
import type { Conversation, QueryGetConversationArgs } from './schema-types.ts';
import { requireId } from './validation.ts';

export function request(ctx: Context<QueryGetConversationArgs>) {
  return ddb.get({ key: { pk: userPk(callerSub(ctx)), sk: conversationSk(requireId(ctx.args.id, 'id')) } });
}

export function response(ctx: Context<QueryGetConversationArgs>): Conversation | null {
  raiseDataSourceError(ctx.error);
  return ctx.result as Conversation | null;
}
