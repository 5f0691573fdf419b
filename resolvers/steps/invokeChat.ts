// Pipeline step: starts the chat function for the new reply, asynchronously ('Event'): the
// mutation returns at once and the reply streams on onReplyEvent.
import type { Context } from '@aws-appsync/utils';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { skipIfDuplicate } from './loadTurnContext.ts';

interface Turn { userMessage: { id: string; conversationId: string }; reply: { id: string } }

export function request(ctx: Context) {
  skipIfDuplicate(ctx);
  const turn = ctx.stash.turn as Turn;
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: { owner: callerSub(ctx), conversationId: turn.userMessage.conversationId, replyId: turn.reply.id, userMessageId: turn.userMessage.id },
  };
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  return ctx.stash.turn as Turn;
}
