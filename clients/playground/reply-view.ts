/// <reference lib="dom" />
// One message in the chat view. A user message, or a reply read final, is shown as read; a reply being written is
// shown from the kit's assembled state (clients/kit/reply.ts), with its final status: COMPLETE, STOPPED or ERROR with why.
import { isFinalStatus, type Message, type ReplyState } from '../kit/index.ts';
import { h } from './dom.ts';

export class MessageView {
  readonly element: HTMLLIElement;
  private readonly content: HTMLDivElement;
  private readonly status: HTMLSpanElement;
  private readonly reason: HTMLDivElement;
  private final: boolean;

  constructor(message: Pick<Message, 'id' | 'role' | 'content' | 'status' | 'error' | 'stopReason'>, private readonly onEnd: (view: MessageView) => void) {
    this.final = message.role === 'USER' || isFinalStatus(message.status);
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

  /** The reply as assembled so far; the end is reported once. */
  render(state: ReplyState): void {
    if (this.final) return;
    if (this.content.textContent !== state.text) this.content.textContent = state.text;
    this.show(state.status, state.status === 'COMPLETE' ? null : state.error ?? state.stopReason);
    if (!state.final) return;
    this.final = true;
    this.onEnd(this);
  }

  private show(status: Message['status'], reason: string | null): void {
    this.element.dataset.status = status;
    this.status.textContent = status;
    const failed = status === 'ERROR' || status === 'INTERRUPTED';
    this.reason.textContent = !reason || !(failed || status === 'STOPPED') ? '' : failed ? reason : `stop reason: ${reason}`;
    this.reason.classList.toggle('failed', failed);
  }
}
