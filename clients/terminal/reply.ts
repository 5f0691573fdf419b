// What the terminal prints of a reply as the kit assembles it (clients/kit/reply.ts): the text it has not printed yet,
// exactly once, a line for each other block (thinking, a tool call, its result) where it comes in the reply, and its
// end once; and what Ctrl-C does in each phase of a turn.
import { textOf, type Block, type ReplyState } from '../kit/index.ts';

export type ReplyOutput =
  | { kind: 'text'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'end'; status: string; error: string | null };

/** Tool inputs and outputs are shown at most this long. */
const NOTE_CHARS = 120;

const clip = (text: string): string => (text.length > NOTE_CHARS ? `${text.slice(0, NOTE_CHARS - 1)}…` : text);

/** The line for a block that is not text. */
export function noteOf(block: Pick<Block, 'type' | 'name' | 'input' | 'output' | 'isError'>): string {
  switch (block.type) {
    case 'THINKING':
      return '(thinking…)';
    case 'TOOL_USE':
      return `→ ${block.name ?? 'tool'} ${clip(block.input ?? '{}')}`;
    case 'TOOL_RESULT':
      return `${block.isError ? '✖' : '←'} ${clip(block.output ?? 'null')}`;
    default:
      return `(${block.type.toLowerCase()})`;
  }
}

export class ReplyPrinter {
  private replyId: string | undefined;
  private printed = '';
  private noted = new Set<number>();
  private ended = false;

  get id(): string | undefined {
    return this.replyId;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Starts printing another reply: nothing of it is on the screen yet. */
  follow(replyId: string): void {
    this.replyId = replyId;
    this.printed = '';
    this.noted = new Set();
    this.ended = false;
  }

  /** What to print for the reply's new state: the text added since the last call, then its end. */
  show(state: ReplyState): ReplyOutput[] {
    if (state.messageId !== this.replyId || this.ended) return [];
    const out: ReplyOutput[] = [];
    // Each new block that is not text gets its line after the text of the blocks before it.
    const notes = state.blocks.filter((block) => block.type !== 'TEXT' && !this.noted.has(block.index)).sort((a, b) => a.index - b.index);
    for (const note of notes) {
      this.printText(textOf(state.blocks.filter((block) => block.type === 'TEXT' && block.index < note.index)), out);
      out.push({ kind: 'note', text: noteOf(note) });
      this.noted.add(note.index);
    }
    this.printText(state.text, out);
    if (state.final) {
      this.ended = true;
      out.push({ kind: 'end', status: state.status, error: state.error });
    }
    return out;
  }

  /** The text only grows (a new TEXT block adds its blank line and words at the end): print what is new of `text`. */
  private printText(text: string, out: ReplyOutput[]): void {
    if (text.length > this.printed.length && text.startsWith(this.printed)) {
      out.push({ kind: 'text', text: text.slice(this.printed.length) });
      this.printed = text;
    }
  }
}

export type Phase = 'prompt' | 'sending' | 'streaming' | 'stopping' | 'quitting';

/** Ctrl-C: while a reply is on its way, the first stops it; otherwise (or a second time) it quits. */
export function onCtrlC(phase: Phase): { phase: Phase; action: 'stop' | 'quit' } {
  if (phase === 'sending' || phase === 'streaming') return { phase: 'stopping', action: 'stop' };
  return { phase: 'quitting', action: 'quit' };
}
