// sendMessage: validate, load the turn's context (conversation, quota, idempotency), check the reply
// in flight, write the turn in one transaction, start the chat function. Returns both messages at once.
import type { Context } from '@aws-appsync/utils';
import { withBlocks } from './blocks.ts';
import type { MutationSendMessageArgs, SendMessageResult } from './schema-types.ts';

export function request(_ctx: Context<MutationSendMessageArgs>) {
  return {};
}

export function response(ctx: Context<MutationSendMessageArgs>): SendMessageResult {
  const { userMessage, reply } = (ctx.prev as { result: SendMessageResult }).result;
  return { userMessage: withBlocks(userMessage), reply: withBlocks(reply) };
}
