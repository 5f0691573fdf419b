/// <reference lib="dom" />
// One message in the chat view. An assistant reply applies onReplyEvent events in seq order (events may arrive
// before sendMessage answers, or out of order), and shows its final status: COMPLETE, STOPPED or ERROR with why.
import { h } from './dom.ts';
import type { Message, MessageStatus, ReplyEvent } from './operations.ts';

const FINAL: ReadonlySet<MessageStatus> = new Set(['COMPLETE', 'STOPPED', 'ERROR', 'INTERRUPTED']);

export const isFinal = (status: MessageStatus): boolean => FINAL.has(status);

export class MessageView {
  readonly element: HTMLLIElement;
  private readonly content: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  private readonly reason: HTMLDivElement;
  /** The seq of the last event applied (the message's own seq when read from the API). */
  private seq: number;
  private readonly pending = new Map<number, ReplyEvent>();
  private final: boolean;

  constructor(message: Message, private readonly onEnd: (view: MessageView) => void, private readonly onTitle: (title: string) => void) {
    this.seq = message.seq;
    this.final = message.role === 'USER' || isFinal(message.status);
    this.content = h('div', { class: 'content' }, message.content);
    this.status = h('span', { class: 'status' });
    this.reason = h('div', { class: 'reason' });
    const role = message.role === 'USER' ? 'You' : 'Assistant';
    this.element = h('li', { class: `message ${message.role.toLowerCase()}`, 'data-message-id': message.id },
      h('div', { class: 'meta' }, h('span', { class: 'role' }, role), this.status), this.content, this.reason);
    if (message.role === 'ASSISTANT') this.show(message.status, message.error ?? message.stopReason);
  }

  get ended(): boolean {
    return this.final;
  }

  get text(): string {
    return this.content.textContent ?? '';
  }

  /** Applies the event when its turn comes; returns true when a final event is waiting behind a gap. */
  receive(event: ReplyEvent): boolean {
    if (this.final || event.seq <= this.seq) return false;
    this.pending.set(event.seq, event);
    for (let next = this.pending.get(this.seq + 1); next; next = this.pending.get(this.seq + 1)) {
      this.pending.delete(next.seq);
      this.seq = next.seq;
      this.apply(next);
    }
    return [...this.pending.values()].some((e) => e.type === 'DONE' || e.type === 'ERROR');
  }

  /** The stored message is the truth once it is final (after a gap, or from stopReply). */
  settle(message: Message): void {
    if (this.final || !isFinal(message.status)) return;
    this.content.textContent = message.content;
    this.seq = message.seq;
    this.finish(message.status, message.error ?? message.stopReason);
  }

  private apply(event: ReplyEvent): void {
    switch (event.type) {
      case 'DELTA':
        this.content.append(event.text ?? '');
        this.show('STREAMING', null);
        return;
      case 'TITLE':
        if (event.title) this.onTitle(event.title);
        return;
      case 'DONE':
        this.finish(event.status ?? 'COMPLETE', event.status === 'COMPLETE' ? null : event.stopReason);
        return;
      case 'ERROR':
        this.finish(event.status ?? 'ERROR', event.error);
        return;
    }
  }

  private finish(status: MessageStatus, reason: string | null): void {
    this.final = true;
    this.pending.clear();
    this.show(status, reason);
    this.onEnd(this);
  }

  private show(status: MessageStatus, reason: string | null): void {
    this.element.dataset.status = status;
    this.status.textContent = status;
    const failed = status === 'ERROR' || status === 'INTERRUPTED';
    this.reason.textContent = !reason || !(failed || status === 'STOPPED') ? '' : failed ? reason : `stop reason: ${reason}`;
    this.reason.classList.toggle('failed', failed);
  }
}
