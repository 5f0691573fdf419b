// IAM only (the chat function): a reply event goes out to the conversation's subscribers.
import type { Context } from '@aws-appsync/utils';
import type { MutationPublishReplyEventArgs, ReplyEvent } from './schema-types.ts';

export function request(ctx: Context<MutationPublishReplyEventArgs>) {
  return { payload: ctx.args.input };
}

export function response(ctx: Context<MutationPublishReplyEventArgs>): ReplyEvent {
  return ctx.result as ReplyEvent;
}
