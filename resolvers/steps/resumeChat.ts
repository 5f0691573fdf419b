// Pipeline step: starts the chat function again for a reply resumeReply put back to PENDING ('Event', as
// invokeChat does): it claims the reply, keeps what it had written, and goes on from the stored blocks. The caller's
// token goes along, as with invokeChat.
import { runtime, type Context } from '@aws-appsync/utils';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';

interface Reply { id: string; conversationId: string; replyTo: string }

export function request(ctx: Context) {
  const reply = ctx.stash.message as Reply;
  if (ctx.stash.resumed !== true) runtime.earlyReturn(reply);
  const userToken = (ctx.request.headers as Record<string, string | undefined>)['authorization'];
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: {
      owner: callerSub(ctx), conversationId: reply.conversationId, replyId: reply.id, userMessageId: reply.replyTo, resume: true,
      ...(userToken ? { userToken } : {}),
    },
  };
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  return ctx.stash.message as unknown;
}
