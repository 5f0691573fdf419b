// Pipeline step: the attachment's record, under the caller's conversation, PENDING until a message sends it, and
// expiring if none does (attachment-limits.ts, UNSENT_ATTACHMENT_TTL_SECONDS). Returns the upload to the caller.
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { UNSENT_ATTACHMENT_TTL_SECONDS, type AttachmentRef } from '../attachment-limits.ts';
import type { AttachmentItem } from '../attachments.ts';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { attachmentSk, messagesPk } from '../keys.ts';
import type { AttachmentUpload, MutationCreateAttachmentUploadArgs } from '../schema-types.ts';

interface Signed { url: string; fields: Record<string, string>; expiresAt: string; key: string }

export function request(ctx: Context<MutationCreateAttachmentUploadArgs>) {
  const upload = ctx.stash.upload as AttachmentRef;
  const { conversationId } = ctx.args.input;
  const item: AttachmentItem = {
    ...upload, conversationId, status: 'PENDING', createdAt: util.time.nowISO8601(),
    expiresAt: util.time.nowEpochSeconds() + UNSENT_ATTACHMENT_TTL_SECONDS,
  };
  return ddb.put<Record<string, unknown>>({
    key: { pk: messagesPk(callerSub(ctx), conversationId), sk: attachmentSk(upload.id) }, item: { ...item }, condition: { pk: { attributeExists: false } },
  });
}

export function response(ctx: Context<MutationCreateAttachmentUploadArgs>): AttachmentUpload {
  raiseDataSourceError(ctx.error);
  const signed = ctx.stash.signed as Signed;
  return { id: (ctx.stash.upload as AttachmentRef).id, url: signed.url, fields: JSON.stringify(signed.fields), expiresAt: signed.expiresAt, key: signed.key };
}
