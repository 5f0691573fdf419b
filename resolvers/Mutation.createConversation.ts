// A new conversation for the caller.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { conversationSk, recencySk, userPk } from './keys.ts';
import type { Conversation, MutationCreateConversationArgs } from './schema-types.ts';
import { MAX_SYSTEM_PROMPT_CHARS, MAX_TITLE_CHARS, optionalText } from './validation.ts';

export function request(ctx: Context<MutationCreateConversationArgs>) {
  const sub = callerSub(ctx);
  const input = ctx.args.input ?? {};
  const model = optionalText(input.model, 'model', 100) ?? ctx.env.MODEL_ID ?? 'claude-sonnet-4-6';
  if (!util.matches('[a-z0-9][a-z0-9.:@-]*', model)) util.error(`model '${model}' is not a model id such as claude-sonnet-4-6.`, 'ValidationError');
  const id = util.autoUlid();
  const now = util.time.nowISO8601();
  const item = {
    id,
    title: optionalText(input.title, 'title', MAX_TITLE_CHARS),
    model,
    systemPrompt: optionalText(input.systemPrompt, 'systemPrompt', MAX_SYSTEM_PROMPT_CHARS),
    createdAt: now,
    updatedAt: now,
    messageCount: 0,
    gsi1pk: userPk(sub),
    gsi1sk: recencySk(now, id),
  };
  return ddb.put<Record<string, unknown>>({ key: { pk: userPk(sub), sk: conversationSk(id) }, item, condition: { pk: { attributeExists: false } } });
}

export function response(ctx: Context<MutationCreateConversationArgs>): Conversation {
  raiseDataSourceError(ctx.error);
  return ctx.result as Conversation;
}
