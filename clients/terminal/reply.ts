// What the terminal prints of a reply as the kit assembles it (clients/kit/reply.ts): the text it has not printed yet,
// exactly once, and its end once; and what Ctrl-C does in each phase of a turn.
import type { ReplyState } from '../kit/index.ts';

export type ReplyOutput =
  | { kind: 'text'; text: string }
  | { kind: 'end'; status: string; error: string | null };

export class ReplyPrinter {
  private replyId: string | undefined;
  private printed = '';
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
    this.ended = false;
  }

  /** What to print for the reply's new state: the text added since the last call, then its end. */
  show(state: ReplyState): ReplyOutput[] {
    if (state.messageId !== this.replyId || this.ended) return [];
    const out: ReplyOutput[] = [];
    // The text only grows (a new TEXT block adds its blank line and words at the end): print what is new.
    if (state.text.length > this.printed.length && state.text.startsWith(this.printed)) {
      out.push({ kind: 'text', text: state.text.slice(this.printed.length) });
      this.printed = state.text;
    }
    if (state.final) {
      this.ended = true;
      out.push({ kind: 'end', status: state.status, error: state.error });
    }
    return out;
  }
}

export type Phase = 'prompt' | 'sending' | 'streaming' | 'stopping' | 'quitting';

/** Ctrl-C: while a reply is on its way, the first stops it; otherwise (or a second time) it quits. */
export function onCtrlC(phase: Phase): { phase: Phase; action: 'stop' | 'quit' } {
  if (phase === 'sending' || phase === 'streaming') return { phase: 'stopping', action: 'stop' };
  return { phase: 'quitting', action: 'quit' };
}
