// Pipeline step: starts the chat function for the new reply, asynchronously ('Event'): the
// mutation returns at once and the reply streams on onReplyEvent. The caller's own token goes along, so the reply's
// GraphQL tools call this API as that user (docs/architecture.md, "Acting as the user"); the API logs no evaluated
// request (infra/api.ts, excludeVerboseContent), and the function logs and stores no token.
// The conversation's settings go along too, as this pipeline read them (loadTurnContext or loadConversation, a
// consistent read): the function then has one read less to wait for before it calls the model (functions/chat/reply.ts).
// They are fixed since createConversation, but for the title, which the function sets only while it is still null
// (functions/chat/title.ts), so the copy is what the function would read.
import type { Context } from '@aws-appsync/utils';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { skipIfDuplicate } from './loadTurnContext.ts';

interface Turn { userMessage: { id: string; conversationId: string }; reply: { id: string } }
interface Settings { model?: string | null; systemPrompt?: string | null; thinkingBudgetTokens?: number | null; title?: string | null }

export function request(ctx: Context) {
  skipIfDuplicate(ctx);
  const turn = ctx.stash.turn as Turn;
  const userToken = (ctx.request.headers as Record<string, string | undefined>)['authorization'];
  const conversation = ctx.stash.conversation as Settings | undefined;
  return {
    operation: 'Invoke',
    invocationType: 'Event',
    payload: {
      owner: callerSub(ctx), conversationId: turn.userMessage.conversationId, replyId: turn.reply.id, userMessageId: turn.userMessage.id,
      ...(userToken ? { userToken } : {}),
      ...(conversation ? {
        conversation: {
          model: conversation.model ?? null, systemPrompt: conversation.systemPrompt ?? null,
          thinkingBudgetTokens: conversation.thinkingBudgetTokens ?? null, title: conversation.title ?? null,
        },
      } : {}),
    },
  };
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  return ctx.stash.turn as Turn;
}
