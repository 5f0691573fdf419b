// Pipeline step: starts the chat function for the new reply, asynchronously ('Event'): the
// mutation returns at once and the reply streams on onReplyEvent. The caller's own token goes along, so the reply's
// GraphQL tools call this API as that user (docs/architecture.md, "Acting as the user"); the API logs no evaluated
// request (infra/api.ts, excludeVerboseContent), and the function logs and stores no token.
import type { Context } from '@aws-appsync/utils';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { skipIfDuplicate } from './loadTurnContext.ts';

interface Turn { userMessage: { id: string; conversationId: string }; reply: { id: string } }

export function request(ctx: Context) {
  skipIfDuplicate(ctx);
  const turn = ctx.stash.turn as Turn;
  const userToken = (ctx.request.headers as Record<string, string | undefined>)['authorization'];
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: {
      owner: callerSub(ctx), conversationId: turn.userMessage.conversationId, replyId: turn.reply.id, userMessageId: turn.userMessage.id,
      ...(userToken ? { userToken } : {}),
    },
  };
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  return ctx.stash.turn as Turn;
}
