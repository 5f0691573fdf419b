/// <reference lib="dom" />
// The composer's files: a labelled file input ("Attach a file") and a chip for each file chosen (name, size, a remove
// button). The chat view uploads them with the kit (ChatApi.uploadAttachment) when the message is sent; an upload is
// kept for a retry of the same conversation, so a send that failed after uploading does not upload again.
import { byteSize, h } from './dom.ts';

/** What the API takes (resolvers/attachment-limits.ts): any other type is refused there, with a message saying so. */
const ACCEPT = 'image/jpeg,image/png,image/gif,image/webp,application/pdf,text/plain,.txt,.md,.csv';

export interface PickedFile {
  readonly file: File;
  /** Uploaded already: the attachment's id, for this conversation only. */
  uploaded: { conversationId: string; id: string } | null;
}

/** The type to declare: the file's own, but any text (Markdown, CSV, or a .txt the browser did not type) as text/plain. */
export function declaredType(file: File): string {
  if (file.type.startsWith('text/') || (file.type === '' && /\.(txt|md|csv)$/i.test(file.name))) return 'text/plain';
  return file.type;
}

/** PDFs and plain text are documents (the model can cite them); images are not. */
export const isDocument = (file: File): boolean => !declaredType(file).startsWith('image/');

export class AttachmentPicker {
  readonly element: HTMLDivElement;
  private readonly input = h('input', { type: 'file', multiple: true, accept: ACCEPT, class: 'visually-hidden' });
  private readonly chips = h('ul', { class: 'chips', 'aria-label': 'Files to send' });
  private picked: PickedFile[] = [];
  private busy = false;

  constructor() {
    this.input.addEventListener('change', () => {
      this.picked.push(...[...this.input.files ?? []].map((file) => ({ file, uploaded: null })));
      // Emptied, so choosing the same file again is a change too.
      this.input.value = '';
      this.render();
    });
    this.element = h('div', { class: 'attach' }, h('label', { class: 'attach-button' }, 'Attach a file', this.input), this.chips);
    this.render();
  }

  get files(): readonly PickedFile[] {
    return this.picked;
  }

  /** While a message is sent: no file can be added or removed. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.input.disabled = busy;
    this.render();
  }

  clear(): void {
    this.picked = [];
    this.render();
  }

  private render(): void {
    this.chips.hidden = this.picked.length === 0;
    this.chips.replaceChildren(...this.picked.map((picked) => h('li', { class: 'chip' },
      h('span', { class: 'chip-name' }, picked.file.name), ' ', h('span', { class: 'chip-size' }, byteSize(picked.file.size)),
      h('button', {
        type: 'button', class: 'chip-remove', 'aria-label': `Remove ${picked.file.name}`, disabled: this.busy,
        onclick: () => {
          this.picked = this.picked.filter((other) => other !== picked);
          this.render();
        },
      }, '×'))));
  }
}
