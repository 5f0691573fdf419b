// What the terminal chat prints, as strings: the conversation menu, the prompt line, a reply's ending, errors.
import { styleText } from 'node:util';
import type { Conversation } from '../kit/index.ts';

type Style = 'dim' | 'bold' | 'red' | 'yellow' | 'green' | 'cyan';

export class Render {
  constructor(private readonly color: boolean) {}

  style(style: Style, text: string): string {
    return this.color ? styleText(style, text) : text;
  }

  /** The prompt line carries the conversation's title, which a TITLE event can change. */
  prompt(title: string | null): string {
    return `${this.style('cyan', title ?? 'New conversation')} ${this.style('bold', '›')} `;
  }

  conversations(list: readonly Pick<Conversation, 'title' | 'updatedAt' | 'messageCount'>[], now = Date.now()): string {
    const lines = list.map((c, i) => `  ${this.style('bold', String(i + 1).padStart(2))}. ${c.title ?? 'Untitled'} ${this.style('dim', `(${c.messageCount} messages, ${ago(now - Date.parse(c.updatedAt))})`)}`);
    return [...lines, `  ${this.style('bold', ' n')}. Start a new conversation`, ''].join('\n');
  }

  /** The line after a reply: nothing for COMPLETE, the status and reason otherwise. */
  end(status: string, error: string | null): string {
    if (status === 'COMPLETE') return '\n\n';
    if (status === 'STOPPED') return `\n${this.style('yellow', '■ Stopped: the reply ends STOPPED, its text so far kept.')}\n\n`;
    return `\n${this.style('red', `✖ The reply ended ${status}: ${error ?? 'no reason given'}`)}\n\n`;
  }

  error(message: string): string {
    return `${this.style('red', `✖ ${message}`)}\n`;
  }

  note(message: string): string {
    return `${this.style('dim', message)}\n`;
  }
}

export function ago(ms: number): string {
  const minutes = Math.floor(Math.max(ms, 0) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.floor(hours / 24)} days ago`;
}

/** The menu's answer: an index into the list, 'new', or undefined when it is neither. */
export function choice(answer: string, count: number): number | 'new' | undefined {
  const trimmed = answer.trim().toLowerCase();
  if (trimmed === '' || trimmed === 'n' || trimmed === 'new') return 'new';
  const n = Number(trimmed);
  return Number.isInteger(n) && n >= 1 && n <= count ? n - 1 : undefined;
}
