// A message's content blocks as readers see them. Messages are stored with their text in `content`; until the chat
// function stores blocks of its own (docs/architecture.md, "Content blocks"), a message's blocks are one TEXT block
// holding that text, or none while a reply has no text yet. A user message's attachments (references, never bytes)
// come first, as IMAGE and DOCUMENT blocks, in the order they were sent. A message stored with `blocks` is returned as stored.
import { attachmentKind, type AttachmentRef } from './attachment-limits.ts';
import type { ContentBlock } from './schema-types.ts';

export interface BlockSource {
  content: string;
  blocks?: ContentBlock[] | null;
  attachments?: AttachmentRef[] | null;
}

export function withBlocks<T extends BlockSource>(message: T): T & { blocks: ContentBlock[] } {
  if (message.blocks) return { ...message, blocks: message.blocks };
  const blocks: ContentBlock[] = (message.attachments ?? []).map((attachment, index) => ({ index, type: attachmentKind(attachment.contentType), attachment }));
  if (message.content !== '') blocks.push({ index: blocks.length, type: 'TEXT', text: message.content });
  return { ...message, blocks };
}
