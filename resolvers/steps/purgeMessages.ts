// Pipeline step: asks the account function to delete a deleted conversation's messages, asynchronously.
import type { Context } from '@aws-appsync/utils';
import { callerSub } from '../identity.ts';
import type { MutationDeleteConversationArgs } from '../schema-types.ts';

export function request(ctx: Context<MutationDeleteConversationArgs>) {
  return { operation: 'Invoke', invocationType: 'Event', payload: { action: 'deleteMessages', owner: callerSub(ctx), conversationId: ctx.args.id } };
}

export function response(ctx: Context<MutationDeleteConversationArgs>) {
  return (ctx.prev as { result: unknown }).result;
}
