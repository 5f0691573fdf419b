// A reply's content blocks as events build them (docs/architecture.md, "Content blocks"): text and thinking grow by
// deltas, tool calls and results arrive whole, citations attach to a TEXT block; a user message's IMAGE and DOCUMENT
// blocks carry their attachment. `content` is the TEXT blocks' text.
import type * as Schema from '../../resolvers/schema-types.ts';
import type { Attachment, Block, Citation } from './operations.ts';

/** A block as any selection returns it: fields it did not select are missing. */
export type BlockInput = Pick<Schema.ContentBlock, 'index' | 'type'> & Partial<Schema.ContentBlock>;
export type CitationInput = Pick<Schema.Citation, 'type' | 'citedText'> & Partial<Schema.Citation>;

/** What separates two TEXT blocks in a message's `content` (functions/chat/transcript.ts, TEXT_SEPARATOR). */
export const TEXT_SEPARATOR = '\n\n';

export function citation(input: CitationInput): Citation {
  return { type: input.type, citedText: input.citedText, documentIndex: input.documentIndex ?? null, documentTitle: input.documentTitle ?? null, start: input.start ?? null, end: input.end ?? null };
}

export function attachment(input: Schema.Attachment): Attachment {
  return { id: input.id, fileName: input.fileName, contentType: input.contentType, size: input.size };
}

export function block(input: BlockInput): Block {
  return {
    index: input.index,
    type: input.type,
    text: input.text ?? null,
    citations: input.citations ? input.citations.map(citation) : null,
    toolUseId: input.toolUseId ?? null,
    name: input.name ?? null,
    input: input.input ?? null,
    status: input.status ?? null,
    output: input.output ?? null,
    isError: input.isError ?? null,
    attachment: input.attachment ? attachment(input.attachment) : null,
  };
}

/** `content` from blocks: the TEXT blocks with text, in index order, joined by a blank line. */
export function textOf(blocks: Iterable<Block>): string {
  return [...blocks].sort((a, b) => a.index - b.index)
    .filter((b) => b.type === 'TEXT' && (b.text ?? '') !== '')
    .map((b) => b.text as string).join(TEXT_SEPARATOR);
}

/** The blocks by index, mutable while events apply. */
export class BlockList {
  private readonly byIndex = new Map<number, Block>();

  constructor(blocks: Iterable<BlockInput>) {
    for (const b of blocks) this.byIndex.set(b.index, block(b));
  }

  /** In index order, each a copy: callers may keep them across later events. */
  list(): Block[] {
    return [...this.byIndex.values()].sort((a, b) => a.index - b.index).map((b) => ({ ...b, citations: b.citations ? [...b.citations] : null }));
  }

  /** Text added to the TEXT or THINKING block at `index`; a new index starts it. False when that index is another type. */
  append(index: number, type: 'TEXT' | 'THINKING', text: string): boolean {
    const target = this.textBlock(index, type);
    if (!target) return false;
    target.text = (target.text ?? '') + text;
    return true;
  }

  /** A citation of the TEXT block at `index`. False when that index is another type. */
  cite(index: number, input: CitationInput): boolean {
    const target = this.textBlock(index, 'TEXT');
    if (!target) return false;
    target.citations = [...(target.citations ?? []), citation(input)];
    return true;
  }

  /** A whole block (TOOL_USE, TOOL_RESULT); a result settles its call: COMPLETE, or ERROR when isError. */
  put(input: BlockInput): void {
    const next = block(input);
    if (next.type === 'TOOL_USE') next.status ??= 'RUNNING';
    this.byIndex.set(next.index, next);
    if (next.type !== 'TOOL_RESULT') return;
    for (const call of this.byIndex.values()) {
      if (call.type === 'TOOL_USE' && call.toolUseId === next.toolUseId) call.status = next.isError ? 'ERROR' : 'COMPLETE';
    }
  }

  private textBlock(index: number, type: 'TEXT' | 'THINKING'): Block | null {
    const found = this.byIndex.get(index);
    if (found) return found.type === type ? found : null;
    const created = block({ index, type, text: '' });
    this.byIndex.set(index, created);
    return created;
  }
}
