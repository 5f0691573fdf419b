// Pipeline step: the caller's conversation named by the arguments, or NotFound. Kept in the stash.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { conversationSk, userPk } from '../keys.ts';
import type { Conversation } from '../schema-types.ts';
import { requireId } from '../validation.ts';

/** The conversation id, wherever the field takes it from. */
function conversationIdOf(args: Record<string, unknown>): string {
  const input = args.input as { conversationId?: string } | undefined;
  return (args.conversationId as string | undefined) ?? input?.conversationId ?? (args.id as string);
}

export function request(ctx: Context) {
  const id = requireId(conversationIdOf(ctx.args as Record<string, unknown>), 'conversationId');
  return ddb.get({ key: { pk: userPk(callerSub(ctx)), sk: conversationSk(id) }, consistentRead: true });
}

export function response(ctx: Context): Conversation {
  raiseDataSourceError(ctx.error);
  if (!ctx.result) util.error('The conversation was not found.', 'NotFound');
  ctx.stash.conversation = ctx.result as Conversation;
  return ctx.result as Conversation;
}
