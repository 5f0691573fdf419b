// The terminal's input and output: prompts read with readline (secrets not echoed), Ctrl-C reported as an
// interrupt instead of killing the process, and a spinner from yocto-spinner while a reply is awaited.
import { createInterface, type Interface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import yoctoSpinner from 'yocto-spinner';

export interface TerminalIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Whether the input is a terminal: readline then reads keys, and Ctrl-C arrives as a key. */
  terminal: boolean;
}

export class Terminal {
  private readonly rl: Interface;
  private muted = false;
  private pending: AbortController | undefined;
  private interruptHandler: () => void = () => undefined;
  private closed = false;

  constructor(private readonly io: TerminalIo) {
    // readline echoes what is typed to its output: a gate in between keeps a password off the screen.
    const gate = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!this.muted) io.output.write(chunk);
        done();
      },
    });
    Object.defineProperty(gate, 'columns', { get: () => io.output.columns ?? 80 });
    this.rl = createInterface({ input: io.input, output: gate, terminal: io.terminal });
    this.rl.on('SIGINT', () => this.interrupt());
    this.rl.on('close', () => {
      this.closed = true;
      this.pending?.abort();
    });
  }

  onInterrupt(handler: () => void): void {
    this.interruptHandler = handler;
  }

  /** Ctrl-C, from the keyboard or as a signal. */
  interrupt(): void {
    this.interruptHandler();
  }

  /** The answer, or null when the question was cancelled (Ctrl-C) or the input ended (Ctrl-D). */
  async ask(question: string, options: { secret?: boolean } = {}): Promise<string | null> {
    if (this.closed) return null;
    this.pending = new AbortController();
    if (options.secret) this.io.output.write(question);
    this.muted = options.secret === true;
    try {
      return await this.rl.question(options.secret ? '' : question, { signal: this.pending.signal });
    } catch {
      return null;
    } finally {
      if (this.muted) this.io.output.write('\n');
      this.muted = false;
      this.pending = undefined;
    }
  }

  /** Cancels the question being asked, if any: ask() resolves null. */
  cancel(): void {
    this.pending?.abort();
  }

  write(text: string): void {
    this.io.output.write(text);
  }

  /** A spinner on the output; a no-op unless it is a terminal. */
  spinner(text: string): { stop(): void } {
    if (!this.io.output.isTTY) return { stop: () => undefined };
    const spinner = yoctoSpinner({ text, stream: this.io.output as NodeJS.WriteStream, handleSignals: false }).start();
    return { stop: () => void spinner.clear().stop() };
  }

  close(): void {
    this.closed = true;
    this.rl.close();
  }
}
