// The files of a prompt's user messages (docs/architecture.md, "Attachments"): which ones go in a request, read from
// the attachments bucket, and turned into the Messages API's image and document blocks ("Vision", "PDF support",
// "Citations"). The message answered always sends its own; earlier turns' go in newest first while the request stays
// within MAX_REQUEST_ATTACHMENT_BYTES, the others as a line of text that names them.
import type { DocumentBlockParam, ImageBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { attachmentKind, MAX_REQUEST_ATTACHMENT_BYTES, type AttachmentRef } from '../../resolvers/attachment-limits.ts';
import { attachmentKey } from '../../resolvers/keys.ts';
import { fetchObject, isMissing, type S3Location } from '../attachments/s3-object.ts';
import type { HistoryMessage } from './history.ts';

export type PromptBlock = TextBlockParam | ImageBlockParam | DocumentBlockParam;

/** What was read of each attachment sent: its bytes, or 'missing' (expired by the bucket's lifecycle, or deleted). */
export type AttachmentFiles = ReadonlyMap<string, Uint8Array | 'missing'>;

export interface AttachmentReader {
  /** The object's bytes, or undefined when it is not there. */
  read(attachment: AttachmentRef): Promise<Uint8Array | undefined>;
}

/** Reads the owner's objects of one conversation from the bucket. */
export function s3AttachmentReader(location: S3Location, bucket: string, owner: string, conversationId: string, signal?: AbortSignal): AttachmentReader {
  return {
    async read(attachment) {
      const response = await fetchObject(location, 'GET', bucket, attachmentKey(owner, conversationId, attachment.id), signal);
      if (isMissing(response)) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) throw new Error(`S3 answered GET of attachment ${attachment.id} with HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/** The attachments a request sends, from a history oldest first whose last message is the one answered. */
export function attachmentsToSend(history: readonly HistoryMessage[]): AttachmentRef[] {
  const chosen: AttachmentRef[] = [];
  let bytes = 0;
  for (const [position, message] of [...history].reverse().entries()) {
    for (const attachment of message.attachments ?? []) {
      // The answered message's own always go (sendMessage held them to less than the budget together).
      if (position > 0 && bytes + attachment.size > MAX_REQUEST_ATTACHMENT_BYTES) continue;
      bytes += attachment.size;
      chosen.push(attachment);
    }
  }
  return chosen;
}

/** Reads the attachments the request sends, in parallel. */
export async function readAttachments(history: readonly HistoryMessage[], reader: AttachmentReader): Promise<AttachmentFiles> {
  const wanted = attachmentsToSend(history);
  const read = await Promise.all(wanted.map(async (attachment) => [attachment.id, (await reader.read(attachment)) ?? 'missing'] as const));
  return new Map(read);
}

/**
 * One attachment as the model is sent it: an image block, or a document block titled with the file's name (with
 * citations when the turn asks for them: the API wants them on all documents of a request or none); a text block
 * saying so when it was not read.
 */
export function attachmentBlock(attachment: AttachmentRef, file: Uint8Array | 'missing' | undefined, citations: boolean): PromptBlock {
  const named = `${attachment.fileName} (${attachment.contentType})`;
  if (file === undefined) return { type: 'text', text: `[${named}, attached earlier, is not sent again.]` };
  if (file === 'missing') return { type: 'text', text: `[${named} is no longer available.]` };
  if (attachmentKind(attachment.contentType) === 'IMAGE') {
    return { type: 'image', source: { type: 'base64', media_type: attachment.contentType as 'image/png', data: Buffer.from(file).toString('base64') } };
  }
  const source = attachment.contentType === 'text/plain'
    ? { type: 'text' as const, media_type: 'text/plain' as const, data: new TextDecoder().decode(file) }
    : { type: 'base64' as const, media_type: 'application/pdf' as const, data: Buffer.from(file).toString('base64') };
  return { type: 'document', source, title: attachment.fileName, ...(citations ? { citations: { enabled: true } } : {}) };
}
