// Pipeline step: sets stopRequested on the conversation's active reply, if it is still being written or awaits a
// client tool's result. A reply that awaits has no function running to read the flag: resumeReply and resumeChat
// start one, which ends the reply STOPPED with every finished block kept.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { messageSk, messagesPk } from '../keys.ts';
import type { Conversation, MutationStopReplyArgs } from '../schema-types.ts';

export function request(ctx: Context<MutationStopReplyArgs>) {
  const conversation = ctx.stash.conversation as Conversation;
  if (!conversation.activeReplyId) util.error('There is no reply being written in this conversation.', 'NotFound');
  return ddb.update({
    key: { pk: messagesPk(callerSub(ctx), conversation.id), sk: messageSk(conversation.activeReplyId) },
    update: { stopRequested: ddb.operations.replace(true) },
    condition: { status: { in: ['PENDING', 'STREAMING', 'AWAITING_TOOL_RESULT'] } },
  });
}

export function response(ctx: Context<MutationStopReplyArgs>) {
  if (ctx.error?.type === 'DynamoDB:ConditionalCheckFailedException') util.error('The reply has already ended.', 'Conflict');
  raiseDataSourceError(ctx.error);
  ctx.stash.message = ctx.result as unknown;
  ctx.stash.resumeReply = (ctx.result as { status: string }).status === 'AWAITING_TOOL_RESULT';
  return ctx.result as unknown;
}
