// Pipeline step: the attachments function signs a presigned POST for the new attachment's object (APPSYNC_JS computes
// no HMAC). It gets the caller's sub from here, never from the arguments, and makes the key under that sub's prefix.
import type { Context } from '@aws-appsync/utils';
import type { AttachmentRef } from '../attachment-limits.ts';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import type { MutationCreateAttachmentUploadArgs } from '../schema-types.ts';

export function request(ctx: Context<MutationCreateAttachmentUploadArgs>) {
  const upload = ctx.stash.upload as AttachmentRef;
  return {
    operation: 'Invoke',
    payload: {
      action: 'sign', owner: callerSub(ctx), conversationId: ctx.args.input.conversationId, attachmentId: upload.id,
      contentType: upload.contentType, size: upload.size,
    },
  };
}

export function response(ctx: Context<MutationCreateAttachmentUploadArgs>) {
  raiseDataSourceError(ctx.error);
  ctx.stash.signed = ctx.result as unknown;
  return ctx.result as unknown;
}
