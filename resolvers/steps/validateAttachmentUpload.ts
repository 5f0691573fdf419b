// Pipeline step (NONE): checks createAttachmentUpload's input before anything is read or written, and picks the
// attachment's id.
import { util, type Context } from '@aws-appsync/utils';
import { checkUpload } from '../attachments.ts';
import type { MutationCreateAttachmentUploadArgs } from '../schema-types.ts';

export function request(ctx: Context<MutationCreateAttachmentUploadArgs>) {
  ctx.stash.upload = { id: util.autoUlid(), ...checkUpload(ctx.args.input) };
  return { payload: null };
}

export function response(_ctx: Context<MutationCreateAttachmentUploadArgs>) {
  return null;
}
