// Writes a new reply to the last user message, in place of the last assistant reply.
import type { Context } from '@aws-appsync/utils';
import { withBlocks } from './blocks.ts';
import type { Message, MutationRegenerateReplyArgs } from './schema-types.ts';

export function request(_ctx: Context<MutationRegenerateReplyArgs>) {
  return {};
}

export function response(ctx: Context<MutationRegenerateReplyArgs>): Message {
  return withBlocks((ctx.stash.turn as { reply: Message }).reply);
}
