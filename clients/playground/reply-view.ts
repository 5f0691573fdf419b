/// <reference lib="dom" />
// One message in the chat view. A user message, or a reply read final, is shown as read; a reply being written is
// shown from the kit's assembled state (clients/kit/reply.ts), with its final status: COMPLETE, STOPPED or ERROR with why.
// A user message lists its attachments (IMAGE and DOCUMENT blocks) above its text; a reply's text is Markdown
// (markdown-view.ts), with the citations of its TEXT blocks under it. Thinking and tool calls (with their results) are
// shown above the text, each folded in a <details>.
import { isFinalStatus, type Block, type Message, type ReplyState } from '../kit/index.ts';
import { byteSize, h } from './dom.ts';
import { markdownNodes } from './markdown-view.ts';

export class MessageView {
  readonly element: HTMLLIElement;
  private readonly content: HTMLDivElement;
  private shownText: string | null = null;
  private readonly markdown: boolean;
  private readonly attachments = h('ul', { class: 'attachments', 'aria-label': 'Attachments' });
  private readonly blocks: HTMLDivElement;
  private shownBlocks = '';
  private readonly citations = h('section', { class: 'citations', 'aria-label': 'Citations' });
  private readonly status: HTMLSpanElement;
  private readonly reason: HTMLDivElement;
  private final: boolean;

  constructor(message: Pick<Message, 'id' | 'role' | 'content' | 'status' | 'error' | 'stopReason'> & { blocks?: Block[] }, private readonly onEnd: (view: MessageView) => void) {
    this.final = message.role === 'USER' || isFinalStatus(message.status);
    this.markdown = message.role === 'ASSISTANT';
    this.content = h('div', { class: this.markdown ? 'content markdown' : 'content' });
    this.showText(message.content);
    this.blocks = h('div', { class: 'blocks' });
    this.showBlocks(message.blocks ?? []);
    this.status = h('span', { class: 'status' });
    this.reason = h('div', { class: 'reason' });
    const role = message.role === 'USER' ? 'You' : 'Assistant';
    this.element = h('li', { class: `message ${message.role.toLowerCase()}`, 'data-message-id': message.id },
      h('div', { class: 'meta' }, h('span', { class: 'role' }, role), this.status), this.attachments, this.blocks, this.content, this.citations, this.reason);
    if (message.role === 'ASSISTANT') this.show(message.status, message.error ?? message.stopReason);
  }

  get ended(): boolean {
    return this.final;
  }

  /** The reply as assembled so far; the end is reported once. */
  render(state: ReplyState): void {
    if (this.final) return;
    this.showText(state.text);
    this.showBlocks(state.blocks);
    this.show(state.status, state.status === 'COMPLETE' ? null : state.error ?? state.stopReason);
    if (!state.final) return;
    this.final = true;
    this.onEnd(this);
  }

  /** A user's text as written; a reply's as Markdown, built again only when it changed. */
  private showText(text: string): void {
    if (text === this.shownText) return;
    this.shownText = text;
    if (this.markdown) this.content.replaceChildren(...markdownNodes(text));
    else this.content.textContent = text;
  }

  /** Attachments, thinking, each tool call with its result, and the citations, redrawn only when they changed. */
  private showBlocks(blocks: readonly Block[]): void {
    const key = JSON.stringify(blocks.map((block) => (block.type === 'TEXT' ? block.citations : block)));
    if (key === this.shownBlocks) return;
    this.shownBlocks = key;
    const files = blocks.flatMap((block) => (block.attachment ? [{ type: block.type, ...block.attachment }] : []));
    this.attachments.replaceChildren(...files.map((file) => h('li', { class: 'attachment', 'data-kind': file.type, 'data-attachment-id': file.id },
      h('span', { class: 'file-name' }, file.fileName), ' ', h('span', { class: 'file-type' }, `${file.contentType}, ${byteSize(file.size)}`))));
    this.attachments.hidden = files.length === 0;
    const cited = blocks.flatMap((block) => (block.type === 'TEXT' ? block.citations ?? [] : []));
    this.citations.replaceChildren(...(cited.length === 0 ? [] : [h('h3', {}, 'Sources'), h('ol', {}, ...cited.map((citation) => h('li', { class: 'citation' },
      h('q', {}, citation.citedText), ' ', h('cite', {}, citation.documentTitle ?? `document ${(citation.documentIndex ?? 0) + 1}`))))]));
    this.citations.hidden = cited.length === 0;
    const others = blocks.filter((block) => block.type === 'THINKING' || block.type === 'TOOL_USE' || block.type === 'TOOL_RESULT');
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
