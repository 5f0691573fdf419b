// Pipeline step: the reply submitToolResult names, under the caller's own key (so another user's is never found),
// read consistently; NotFound when there is none.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { messageSk, messagesPk } from '../keys.ts';
import type { MutationSubmitToolResultArgs } from '../schema-types.ts';
import { requireId } from '../validation.ts';

export function request(ctx: Context<MutationSubmitToolResultArgs>) {
  const { conversationId, messageId } = ctx.args.input;
  return ddb.get({
    key: { pk: messagesPk(callerSub(ctx), requireId(conversationId, 'conversationId')), sk: messageSk(requireId(messageId, 'messageId')) },
    consistentRead: true,
  });
}

export function response(ctx: Context<MutationSubmitToolResultArgs>) {
  raiseDataSourceError(ctx.error);
  if (!ctx.result) util.error('The message was not found.', 'NotFound');
  ctx.stash.reply = ctx.result as unknown;
  return ctx.result as unknown;
}
