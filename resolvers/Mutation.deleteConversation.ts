// Deletes one of the caller's conversations; its messages are purged in the background (account function).
import type { Context } from '@aws-appsync/utils';
import type { Conversation, MutationDeleteConversationArgs } from './schema-types.ts';

export function request(_ctx: Context<MutationDeleteConversationArgs>) {
  return {};
}

export function response(ctx: Context<MutationDeleteConversationArgs>): Conversation {
  return ctx.stash.deleted as Conversation;
}
