// A message's content blocks as readers see them. Messages are stored with their text in `content`; until the chat
// function stores blocks of its own (docs/architecture.md, "Content blocks"), a message's blocks are one TEXT block
// holding that text, or none while a reply has no text yet. A message stored with `blocks` is returned as stored.
import type { ContentBlock } from './schema-types.ts';

export interface BlockSource {
  content: string;
  blocks?: ContentBlock[] | null;
}

export function withBlocks<T extends BlockSource>(message: T): T & { blocks: ContentBlock[] } {
  if (message.blocks) return { ...message, blocks: message.blocks };
  const blocks: ContentBlock[] = message.content === '' ? [] : [{ index: 0, type: 'TEXT', text: message.content }];
  return { ...message, blocks };
}
