// Attachments as the resolvers check them (docs/architecture.md, "Attachments"): createAttachmentUpload's input, and
// sendMessage's attachmentIds against the records createAttachmentUpload wrote. Every failure is raised before anything
// is written. The limits are resolvers/attachment-limits.ts's.
import { util } from '@aws-appsync/utils';
import {
  attachmentProblem, MAX_ATTACHMENTS_PER_MESSAGE, MAX_FILE_NAME_CHARS, MAX_MESSAGE_ATTACHMENT_BYTES, type AttachmentRef,
} from './attachment-limits.ts';
import type { CreateAttachmentUploadInput } from './schema-types.ts';
import { requireId } from './validation.ts';

/** An attachment's record in the table (keys.ts, attachmentSk). */
export interface AttachmentItem extends AttachmentRef {
  conversationId: string;
  status: 'PENDING' | 'SENT';
  createdAt: string;
  /** Epoch seconds: DynamoDB's TTL removes the record then, and a record past it is treated as gone already. */
  expiresAt: number;
  messageId?: string;
}

/** createAttachmentUpload's input, checked: the file's name trimmed, its type and size within the limits. */
export function checkUpload(input: CreateAttachmentUploadInput): Omit<AttachmentRef, 'id'> {
  requireId(input.conversationId, 'conversationId');
  const fileName = input.fileName.trim();
  // No control characters, and no / or \: a name, not a path.
  if (!util.matches(`[^/\\\\\\u0000-\\u001F\\u007F]{1,${MAX_FILE_NAME_CHARS}}`, fileName)) {
    util.error(`fileName must be 1 to ${MAX_FILE_NAME_CHARS} characters, without control characters, / or \\.`, 'ValidationError');
  }
  const problem = attachmentProblem(fileName, input.contentType, input.size);
  if (problem !== null) util.error(problem, 'ValidationError');
  return { fileName, contentType: input.contentType, size: input.size };
}

/** sendMessage's attachmentIds, checked: ULIDs, none twice, at most MAX_ATTACHMENTS_PER_MESSAGE; [] when absent. */
export function checkAttachmentIds(ids: string[] | null | undefined): string[] {
  if (ids === null || ids === undefined) return [];
  if (ids.length > MAX_ATTACHMENTS_PER_MESSAGE) util.error(`attachmentIds has ${ids.length} attachments; a message carries at most ${MAX_ATTACHMENTS_PER_MESSAGE}.`, 'ValidationError');
  const seen: string[] = [];
  for (const id of ids) {
    requireId(id, 'attachmentId');
    if (seen.includes(id)) util.error(`attachmentId '${id}' is given twice.`, 'ValidationError');
    seen.push(id);
  }
  return ids;
}

/**
 * The records of sendMessage's attachmentIds (in their order, null when missing) as references, or the first refusal:
 * NotFound for a record that does not exist in this conversation of the caller's (another user's id finds nothing) or
 * has expired, ValidationError for one already sent, or whose type or size the limits no longer allow.
 */
export function sendableAttachments(ids: string[], items: (AttachmentItem | null | undefined)[], nowSeconds: number): AttachmentRef[] {
  let total = 0;
  const refs = ids.map((id, position) => {
    const item = items[position];
    if (!item || item.expiresAt <= nowSeconds) util.error(`Attachment '${id}' was not found in this conversation, or has expired: create it again with createAttachmentUpload.`, 'NotFound');
    if (item.status !== 'PENDING') util.error(`Attachment '${id}' (${item.fileName}) was already sent with another message; upload the file again to send it again.`, 'ValidationError');
    const problem = attachmentProblem(item.fileName, item.contentType, item.size);
    if (problem !== null) util.error(problem, 'ValidationError');
    total += item.size;
    return { id, fileName: item.fileName, contentType: item.contentType, size: item.size };
  });
  if (total > MAX_MESSAGE_ATTACHMENT_BYTES) {
    util.error(`The attachments are ${total} bytes together; a message carries at most ${MAX_MESSAGE_ATTACHMENT_BYTES} bytes of files.`, 'ValidationError');
  }
  return refs;
}
