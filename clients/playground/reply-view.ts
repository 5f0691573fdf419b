/// <reference lib="dom" />
// One message in the chat view. A user message, or a reply read final, is shown as read; a reply being written is
// shown from the kit's assembled state (clients/kit/reply.ts), with its final status: COMPLETE, STOPPED or ERROR with why.
// Thinking and tool calls (with their results) are shown above the text, each folded in a <details>.
import { isFinalStatus, type Block, type Message, type ReplyState } from '../kit/index.ts';
import { h } from './dom.ts';

export class MessageView {
  readonly element: HTMLLIElement;
  private readonly content: HTMLDivElement;
  private readonly blocks: HTMLDivElement;
  private shownBlocks = '';
  private readonly status: HTMLSpanElement;
  private readonly reason: HTMLDivElement;
  private final: boolean;

  constructor(message: Pick<Message, 'id' | 'role' | 'content' | 'status' | 'error' | 'stopReason'> & { blocks?: Block[] }, private readonly onEnd: (view: MessageView) => void) {
    this.final = message.role === 'USER' || isFinalStatus(message.status);
    this.content = h('div', { class: 'content' }, message.content);
    this.blocks = h('div', { class: 'blocks' });
    this.showBlocks(message.blocks ?? []);
    this.status = h('span', { class: 'status' });
    this.reason = h('div', { class: 'reason' });
    const role = message.role === 'USER' ? 'You' : 'Assistant';
    this.element = h('li', { class: `message ${message.role.toLowerCase()}`, 'data-message-id': message.id },
      h('div', { class: 'meta' }, h('span', { class: 'role' }, role), this.status), this.blocks, this.content, this.reason);
    if (message.role === 'ASSISTANT') this.show(message.status, message.error ?? message.stopReason);
  }

  get ended(): boolean {
    return this.final;
  }

  /** The reply as assembled so far; the end is reported once. */
  render(state: ReplyState): void {
    if (this.final) return;
    if (this.content.textContent !== state.text) this.content.textContent = state.text;
    this.showBlocks(state.blocks);
    this.show(state.status, state.status === 'COMPLETE' ? null : state.error ?? state.stopReason);
    if (!state.final) return;
    this.final = true;
    this.onEnd(this);
  }

  /** Thinking and each tool call with its result, redrawn only when they changed. */
  private showBlocks(blocks: readonly Block[]): void {
    const others = blocks.filter((block) => block.type !== 'TEXT');
    const key = JSON.stringify(others);
    if (key === this.shownBlocks) return;
    this.shownBlocks = key;
    const results = new Map(others.filter((block) => block.type === 'TOOL_RESULT').map((block) => [block.toolUseId, block]));
    this.blocks.replaceChildren(...others.filter((block) => block.type !== 'TOOL_RESULT').map((block) => {
      if (block.type === 'THINKING') return h('details', { class: 'thinking' }, h('summary', {}, 'Thinking'), h('div', {}, block.text ?? ''));
      const result = results.get(block.toolUseId);
      const status = result ? (result.isError ? 'ERROR' : 'COMPLETE') : (block.status ?? '');
      return h('details', { class: 'tool', 'data-tool-status': status },
        h('summary', {}, `Tool ${block.name ?? ''} `, h('span', { class: 'tool-status' }, status)),
        h('pre', { class: 'tool-input' }, block.input ?? ''),
        ...(result ? [h('pre', { class: 'tool-output' }, result.output ?? '')] : []));
    }));
  }

  private show(status: Message['status'], reason: string | null): void {
    this.element.dataset.status = status;
    this.status.textContent = status;
    const failed = status === 'ERROR' || status === 'INTERRUPTED';
    this.reason.textContent = !reason || !(failed || status === 'STOPPED') ? '' : failed ? reason : `stop reason: ${reason}`;
    this.reason.classList.toggle('failed', failed);
  }
}
