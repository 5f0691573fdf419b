// Turns a reply's events into what the terminal prints: DELTAs in seq order exactly once, the TITLE, the end.
// A client that joins or rejoins mid-reply starts from the stored message and applies only higher seqs (docs/architecture.md, "The reply contract").
import type { ReplyEvent } from './realtime.ts';

export type ReplyOutput =
  | { kind: 'text'; text: string }
  | { kind: 'title'; title: string }
  | { kind: 'end'; status: string; error: string | null };

export interface StoredReply { id: string; content: string; seq: number; status: string; error: string | null }

const FINAL = new Set(['COMPLETE', 'STOPPED', 'ERROR', 'INTERRUPTED']);
const EARLY_LIMIT = 10_000;

export class ReplyTracker {
  private replyId: string | undefined;
  private nextSeq = 1;
  private printed = '';
  private ended = false;
  /** Events of the followed reply that arrived ahead of their turn, by seq. */
  private ahead = new Map<number, ReplyEvent>();
  /** Events that arrived before sendMessage told us the reply's id. */
  private early: ReplyEvent[] = [];

  get text(): string {
    return this.printed;
  }

  /** Events are waiting on an earlier seq this client never got: the stored message has to fill the gap. */
  get behind(): boolean {
    return !this.ended && this.ahead.size > 0;
  }

  get id(): string | undefined {
    return this.replyId;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Follows a reply from a stored snapshot of it: its text so far is printed, newer events applied. */
  follow(reply: StoredReply): ReplyOutput[] {
    if (reply.id !== this.replyId) {
      this.replyId = reply.id;
      this.nextSeq = 1;
      this.printed = '';
      this.ended = false;
      this.ahead.clear();
    }
    const out: ReplyOutput[] = [];
    if (this.ended || reply.seq < this.nextSeq - 1) return out;
    const missing = reply.content.startsWith(this.printed) ? reply.content.slice(this.printed.length) : '';
    if (missing) out.push(this.print(missing));
    this.nextSeq = reply.seq + 1;
    for (const seq of [...this.ahead.keys()]) if (seq < this.nextSeq) this.ahead.delete(seq);
    if (FINAL.has(reply.status)) return [...out, this.end(reply.status, reply.error)];
    const early = this.early.filter((e) => e.messageId === reply.id);
    this.early = [];
    for (const event of early) out.push(...this.accept(event));
    return [...out, ...this.drain()];
  }

  accept(event: ReplyEvent): ReplyOutput[] {
    if (this.replyId === undefined || event.messageId !== this.replyId) {
      if (this.early.length < EARLY_LIMIT) this.early.push(event);
      return [];
    }
    if (this.ended || event.seq < this.nextSeq) return [];
    this.ahead.set(event.seq, event);
    return this.drain();
  }

  private drain(): ReplyOutput[] {
    const out: ReplyOutput[] = [];
    for (let event = this.ahead.get(this.nextSeq); event && !this.ended; event = this.ahead.get(this.nextSeq)) {
      this.ahead.delete(this.nextSeq);
      this.nextSeq += 1;
      if (event.type === 'DELTA' && event.text) out.push(this.print(event.text));
      if (event.type === 'TITLE' && event.title) out.push({ kind: 'title', title: event.title });
      if (event.type === 'DONE' || event.type === 'ERROR') out.push(this.end(event.status ?? (event.type === 'DONE' ? 'COMPLETE' : 'ERROR'), event.error));
    }
    return out;
  }

  private print(text: string): ReplyOutput {
    this.printed += text;
    return { kind: 'text', text };
  }

  private end(status: string, error: string | null): ReplyOutput {
    this.ended = true;
    return { kind: 'end', status, error };
  }
}

export type Phase = 'prompt' | 'sending' | 'streaming' | 'stopping' | 'quitting';

/** Ctrl-C: while a reply is on its way, the first stops it; otherwise (or a second time) it quits. */
export function onCtrlC(phase: Phase): { phase: Phase; action: 'stop' | 'quit' } {
  if (phase === 'sending' || phase === 'streaming') return { phase: 'stopping', action: 'stop' };
  return { phase: 'quitting', action: 'quit' };
}
