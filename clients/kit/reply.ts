// The reply assembler: the reference implementation of the reply contract (docs/architecture.md, "The reply contract"
// and "Content blocks"). It starts from the message as getMessage (or sendMessage) returned it, applies onReplyEvent
// events in seq order exactly once, and asks its caller to read the message again when events are missing.
//
// Gaps. Events may arrive out of order (held until their turn) or not at all (a failed publish is not retried; events
// published while this client was not subscribed never come). Only the stored message can fill such a gap, and it is
// checkpointed every ~2 s. So a re-read is asked for (onReread, and `reread` in receive's result) when:
// - a final event (DONE, ERROR) waits behind a gap: the final write is stored before it is published;
// - an event arrives more than `maxAhead` seqs (default 64) past the last one applied;
// - a gap is still open `gapTimeoutMs` (default 3,000 ms, above the ~2 s checkpoint interval) after it opened, or after
//   the last re-read was asked for or handed in (then it is asked again: a checkpoint may not have covered it yet).
// The caller reads the message and hands it to resume(), which adopts it if it is newer and applies what was held.
import type * as Schema from '../../resolvers/schema-types.ts';
import { BlockList, textOf, type BlockInput, type CitationInput } from './blocks.ts';
import type { Block, MessageStatus, Usage } from './operations.ts';

/** The message as read: any selection with these fields (blocks may be left out for a text-only client). */
export interface ReplySnapshot {
  id: string;
  content: string;
  blocks?: readonly BlockInput[] | null;
  seq: number;
  status: MessageStatus;
  usage?: Usage | null;
  stopReason?: string | null;
  error?: string | null;
}

/** An onReplyEvent event as any selection returns it. */
export type ReplyEventInput = Pick<Schema.ReplyEvent, 'messageId' | 'seq' | 'type'> & Partial<Omit<Schema.ReplyEvent, 'block' | 'citation' | 'usage'>> & {
  block?: BlockInput | null;
  citation?: CitationInput | null;
  usage?: Usage | null;
};

export interface ReplyState {
  messageId: string;
  status: MessageStatus;
  /** The TEXT blocks' text joined by a blank line: equal to the stored message's `content` at the same seq. */
  text: string;
  blocks: readonly Block[];
  usage: Usage | null;
  error: string | null;
  stopReason: string | null;
  /** The conversation's title, when a TITLE event came with this reply. */
  title: string | null;
  /** The seq of the last event applied (the message's own seq when it was read). */
  seq: number;
  /** COMPLETE, STOPPED, ERROR or INTERRUPTED: no event changes it any more. */
  final: boolean;
}

export interface ReplyAssemblerOptions {
  /** Read the message again (getMessage) and hand it to resume(). Needed for the timeout; receive also returns it. */
  onReread?: () => void;
  /** Called after every change of the state, with the new state. */
  onChange?: (state: ReplyState) => void;
  maxAhead?: number;
  gapTimeoutMs?: number;
}

export interface ReceiveResult {
  /** The state changed (the event, and any it released, were applied). */
  changed: boolean;
  /** The caller should read the message again and hand it to resume(). */
  reread: boolean;
}

const FINAL: ReadonlySet<MessageStatus> = new Set(['COMPLETE', 'STOPPED', 'ERROR', 'INTERRUPTED']);

export const isFinalStatus = (status: MessageStatus): boolean => FINAL.has(status);

export class ReplyAssembler {
  readonly messageId: string;
  private blocks: BlockList;
  private current: ReplyState;
  private readonly ahead = new Map<number, ReplyEventInput>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly maxAhead: number;
  private readonly gapTimeoutMs: number;
  /** A re-read was asked for and not handed in yet: events do not ask again until it is, or the timeout passes. */
  private asked = false;

  constructor(message: ReplySnapshot, private readonly options: ReplyAssemblerOptions = {}) {
    this.messageId = message.id;
    this.maxAhead = options.maxAhead ?? 64;
    this.gapTimeoutMs = options.gapTimeoutMs ?? 3_000;
    this.blocks = new BlockList(snapshotBlocks(message));
    this.current = { messageId: message.id, status: message.status, text: '', blocks: [], usage: null, error: null, stopReason: null, title: null, seq: message.seq, final: false };
    this.adopt(message, false);
  }

  get state(): ReplyState {
    return this.current;
  }

  /** Applies an event of this reply when its turn comes; ignores other replies' events, duplicates and old seqs. */
  receive(event: ReplyEventInput): ReceiveResult {
    if (event.messageId !== this.messageId || this.current.final || event.seq <= this.current.seq || this.ahead.has(event.seq)) return { changed: false, reread: false };
    this.ahead.set(event.seq, event);
    const changed = this.drain();
    return { changed, reread: this.watchGap(true) };
  }

  /** The message read again: adopted when it is newer than what was applied, then the events held are applied. */
  resume(message: ReplySnapshot): boolean {
    if (message.id !== this.messageId || this.current.final) return false;
    this.asked = false;
    const newer = message.seq > this.current.seq || (message.seq === this.current.seq && isFinalStatus(message.status));
    let changed = false;
    if (newer) {
      this.blocks = new BlockList(snapshotBlocks(message));
      this.adopt(message, true);
      changed = true;
    } else if (message.status === 'INTERRUPTED') {
      // A reply past its lease (resolvers/lease.ts): no event will ever say so; keep the text, take the status.
      this.update({ status: 'INTERRUPTED', error: message.error ?? null });
      changed = true;
    }
    for (const seq of this.ahead.keys()) if (seq <= this.current.seq) this.ahead.delete(seq);
    changed = this.drain() || changed;
    this.restartTimer();
    this.watchGap(false);
    return changed;
  }

  /** Stops the gap timer (the reply is no longer shown). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private adopt(message: ReplySnapshot, notify: boolean): void {
    this.update({
      status: message.status, seq: message.seq, usage: message.usage ?? null, stopReason: message.stopReason ?? null, error: message.error ?? null,
    }, notify);
  }

  /** Applies held events while the next seq is there. */
  private drain(): boolean {
    let changed = false;
    for (let next = this.ahead.get(this.current.seq + 1); next && !this.current.final; next = this.ahead.get(this.current.seq + 1)) {
      this.ahead.delete(next.seq);
      this.apply(next);
      changed = true;
    }
    if (this.current.final) this.ahead.clear();
    return changed;
  }

  private apply(event: ReplyEventInput): void {
    const streaming = this.current.status === 'PENDING' ? { status: 'STREAMING' as const } : {};
    switch (event.type) {
      case 'DELTA':
      case 'THINKING_DELTA':
        this.blocks.append(event.index ?? 0, event.type === 'DELTA' ? 'TEXT' : 'THINKING', event.text ?? '');
        return this.update({ seq: event.seq, ...streaming });
      case 'CITATION':
        if (event.citation) this.blocks.cite(event.index ?? 0, event.citation);
        return this.update({ seq: event.seq, ...streaming });
      case 'TOOL_USE':
      case 'TOOL_RESULT':
        if (event.block) this.blocks.put(event.block);
        return this.update({ seq: event.seq, ...streaming });
      case 'TITLE':
        return this.update({ seq: event.seq, title: event.title ?? this.current.title });
      case 'DONE':
        return this.update({ seq: event.seq, status: event.status ?? 'COMPLETE', stopReason: event.stopReason ?? null, usage: event.usage ?? this.current.usage, error: null });
      case 'ERROR':
        return this.update({ seq: event.seq, status: event.status ?? 'ERROR', stopReason: event.stopReason ?? null, usage: event.usage ?? this.current.usage, error: event.error ?? null });
      default:
        // A type added to the schema after this kit: its seq still counts, so the events after it are not held up.
        return this.update({ seq: event.seq });
    }
  }

  private update(change: Partial<ReplyState>, notify = true): void {
    const status = change.status ?? this.current.status;
    const blocks = this.blocks.list();
    this.current = { ...this.current, ...change, status, blocks, text: textOf(blocks), final: isFinalStatus(status) };
    if (this.current.final) this.dispose();
    if (notify) this.options.onChange?.(this.current);
  }

  /** Decides whether a gap needs the stored message; arms the timeout when a gap opens, clears it when none is left. */
  private watchGap(onEvent: boolean): boolean {
    if (this.current.final || this.ahead.size === 0) {
      this.dispose();
      return false;
    }
    const waiting = [...this.ahead.values()];
    const furthest = Math.max(...waiting.map((e) => e.seq));
    if (onEvent && (furthest - this.current.seq > this.maxAhead || waiting.some((e) => e.type === 'DONE' || e.type === 'ERROR'))) return this.askReread();
    this.timer ??= setTimeout(() => this.onTimeout(), this.gapTimeoutMs);
    return false;
  }

  private onTimeout(): void {
    this.timer = undefined;
    this.asked = false;
    if (!this.current.final && this.ahead.size > 0) this.askReread();
  }

  private askReread(): boolean {
    if (this.asked) return false;
    this.asked = true;
    this.restartTimer();
    this.options.onReread?.();
    return true;
  }

  private restartTimer(): void {
    this.dispose();
    if (!this.current.final && this.ahead.size > 0) this.timer = setTimeout(() => this.onTimeout(), this.gapTimeoutMs);
  }
}

/** A message's blocks; a text-only selection (or an old item) gives one TEXT block of its content (resolvers/blocks.ts). */
function snapshotBlocks(message: ReplySnapshot): readonly BlockInput[] {
  if (message.blocks && (message.blocks.length > 0 || message.content === '')) return message.blocks;
  return message.content === '' ? [] : [{ index: 0, type: 'TEXT', text: message.content }];
}
