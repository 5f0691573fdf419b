// Pipeline step: the conversation's newest two messages: the reply to replace and the message it answers.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { MESSAGE_PREFIX, messagesPk } from '../keys.ts';
import type { Conversation, Message } from '../schema-types.ts';

export function request(ctx: Context) {
  const conversation = ctx.stash.conversation as Conversation;
  return ddb.query({
    query: { pk: { eq: messagesPk(callerSub(ctx), conversation.id) }, sk: { beginsWith: MESSAGE_PREFIX } },
    scanIndexForward: false,
    limit: 2,
    consistentRead: true,
  });
}

export function response(ctx: Context) {
  raiseDataSourceError(ctx.error);
  const [newest, before] = (ctx.result as { items: Message[] }).items;
  if (!newest) util.error('The conversation has no message to answer yet.', 'ValidationError');
  const replaced = newest.role === 'ASSISTANT' ? newest : null;
  const answered = replaced ? before : newest;
  if (!answered || answered.role !== 'USER') util.error('The last reply does not answer a message of yours.', 'ValidationError');
  ctx.stash.replaced = replaced;
  ctx.stash.answered = answered;
  return null;
}
