// Pipeline step (NONE): checks sendMessage's input before anything is read or written.
import type { Context } from '@aws-appsync/utils';
import { checkAttachmentIds } from '../attachments.ts';
import { checkClientTools, serverToolNames } from '../client-tools.ts';
import type { MutationSendMessageArgs } from '../schema-types.ts';
import { MAX_CONTENT_CHARS, requireClientMessageId, requireId, requireText } from '../validation.ts';

export function request(ctx: Context<MutationSendMessageArgs>) {
  const { input } = ctx.args;
  requireId(input.conversationId, 'conversationId');
  requireClientMessageId(input.clientMessageId);
  ctx.stash.content = requireText(input.content, 'content', MAX_CONTENT_CHARS);
  ctx.stash.clientTools = checkClientTools(input.clientTools, serverToolNames(ctx.env));
  ctx.stash.attachmentIds = checkAttachmentIds(input.attachmentIds);
  ctx.stash.citations = input.citations === true;
  return { payload: null };
}

export function response(_ctx: Context<MutationSendMessageArgs>) {
  return null;
}
