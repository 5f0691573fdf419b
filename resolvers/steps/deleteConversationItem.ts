// Pipeline step: deletes the conversation item (NotFound if it is not the caller's).
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { conversationSk, userPk } from '../keys.ts';
import type { MutationDeleteConversationArgs } from '../schema-types.ts';
import { requireId } from '../validation.ts';

export function request(ctx: Context<MutationDeleteConversationArgs>) {
  return ddb.remove({ key: { pk: userPk(callerSub(ctx)), sk: conversationSk(requireId(ctx.args.id, 'id')) }, condition: { pk: { attributeExists: true } } });
}

export function response(ctx: Context<MutationDeleteConversationArgs>) {
  raiseDataSourceError(ctx.error, 'The conversation was not found.');
  // AppSync treats a delete of an item that is already absent as a success with a null result.
  if (!ctx.result) util.error('The conversation was not found.', 'NotFound');
  ctx.stash.deleted = ctx.result as unknown;
  return ctx.result as unknown;
}
