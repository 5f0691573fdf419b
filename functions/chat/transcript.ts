// The reply as published: its content blocks, built from the events handed to the publisher, and the seq of the last
// event. The one place seqs are given out, so a checkpoint's (blocks, content, seq) always matches events 1..seq
// exactly (docs/architecture.md, "Content blocks").
import type { Citation, ContentBlock, ToolUseStatus } from './event.ts';

/** A block as stored on the message item. A THINKING block keeps its signature here: the model needs it back in a
 * tool loop, clients never do (it is not a GraphQL field, so no query returns it). */
export type StoredBlock = ContentBlock & { signature?: string };

export interface TranscriptSnapshot {
  /** The TEXT blocks' text joined by a blank line: what clients that read only `content` see. */
  content: string;
  blocks: StoredBlock[];
  /** The seq of the last event given out; 0 before any. */
  seq: number;
}

/** What separates two TEXT blocks in `content`. */
export const TEXT_SEPARATOR = '\n\n';

export class Transcript {
  readonly #blocks: StoredBlock[] = [];
  #seq = 0;

  /** A transcript that goes on from a stored reply (one that awaited client tools). */
  static restore(blocks: readonly StoredBlock[], seq: number): Transcript {
    const transcript = new Transcript();
    for (const block of blocks) transcript.#blocks.push({ ...block });
    transcript.#seq = seq;
    return transcript;
  }

  #next(): number {
    this.#seq += 1;
    return this.#seq;
  }

  #block(index: number, type: 'TEXT' | 'THINKING'): StoredBlock {
    let block = this.#blocks.find((candidate) => candidate.index === index);
    if (block === undefined) {
      block = { index, type, text: '' };
      this.#blocks.push(block);
    } else if (block.type !== type) {
      throw new Error(`block ${index} is ${block.type}, not ${type}`);
    }
    return block;
  }

  /** Records text added to the TEXT or THINKING block at `index` (a new index starts it) and returns the event's seq. */
  appendDelta(index: number, type: 'TEXT' | 'THINKING', text: string): number {
    const block = this.#block(index, type);
    block.text = (block.text ?? '') + text;
    return this.#next();
  }

  /** Records a whole block (TOOL_USE, TOOL_RESULT) and returns the event's seq. */
  addBlock(block: StoredBlock): number {
    if (this.#blocks.some((candidate) => candidate.index === block.index)) throw new Error(`block ${block.index} already exists`);
    this.#blocks.push({ ...block });
    return this.#next();
  }

  /** Records a citation of the TEXT block at `index` and returns the event's seq. */
  addCitation(index: number, citation: Citation): number {
    const block = this.#block(index, 'TEXT');
    block.citations = [...(block.citations ?? []), citation];
    return this.#next();
  }

  /** Keeps a THINKING block's signature (no event: clients never see it). */
  setSignature(index: number, signature: string): void {
    const block = this.#blocks.find((candidate) => candidate.index === index);
    if (block?.type === 'THINKING') block.signature = signature;
  }

  /** How a tool call went (no event of its own: the TOOL_RESULT event tells clients). */
  setToolStatus(toolUseId: string, status: ToolUseStatus): void {
    const block = this.#blocks.find((candidate) => candidate.type === 'TOOL_USE' && candidate.toolUseId === toolUseId);
    if (block) block.status = status;
  }

  /** The seq of an event that changes no block (TITLE, DONE, ERROR). */
  nextSeq(): number {
    return this.#next();
  }

  /** The index the next block takes. */
  get nextIndex(): number {
    return this.#blocks.reduce((next, block) => Math.max(next, block.index + 1), 0);
  }

  get text(): string {
    return textOf(this.#blocks);
  }

  get blocks(): readonly StoredBlock[] {
    return this.#blocks;
  }

  snapshot(): TranscriptSnapshot {
    const blocks = [...this.#blocks].sort((a, b) => a.index - b.index).map((block) => ({ ...block, ...(block.citations ? { citations: [...block.citations] } : {}) }));
    return { content: textOf(blocks), blocks, seq: this.#seq };
  }
}

/** `content` from blocks: the TEXT blocks with text, in index order, joined by a blank line. */
export function textOf(blocks: readonly ContentBlock[]): string {
  return [...blocks].sort((a, b) => a.index - b.index)
    .filter((block) => block.type === 'TEXT' && (block.text ?? '') !== '')
    .map((block) => block.text as string).join(TEXT_SEPARATOR);
}
