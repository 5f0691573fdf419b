// Batches the model's text deltas: the first of each block is flushed at once (time to first token, and to the
// answer's first token after thinking), later ones at most every `flushMs`, or as soon as a batch reaches
// `maxChars`. While the publisher is still sending (`ready` says no), a due batch waits and grows: a slow AppSync
// gets fewer, larger events instead of a queue whose lag keeps growing. Text goes to one block at a time (the model
// writes blocks one after the other): text for another block flushes what was buffered for the previous one, so
// thinking does not multiply publishes.
// Never awaits anything: it only calls `onFlush`.

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The block text goes to: the TEXT or THINKING block at `index`. */
export interface BlockKey {
  index: number;
  type: 'TEXT' | 'THINKING';
}

const FIRST_TEXT: BlockKey = { index: 0, type: 'TEXT' };

export interface CoalescerOptions {
  flushMs: number;
  maxChars: number;
  onFlush(text: string, block: BlockKey): void;
  /** Whether a batch may go now (the publisher has nothing queued or in flight). Default: always. */
  ready?: () => boolean;
  timers?: Timers;
}

export class Coalescer {
  readonly #options: CoalescerOptions;
  readonly #timers: Timers;
  #buffer = '';
  #block: BlockKey = FIRST_TEXT;
  #lastFlushAt: number | undefined;
  #timer: unknown;
  #deferred = false;
  #flushes = 0;

  constructor(options: CoalescerOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
  }

  /** Adds text from the model to `block` (default: the first TEXT block). */
  push(text: string, block: BlockKey = FIRST_TEXT): void {
    if (text === '') return;
    if (block.index !== this.#block.index || block.type !== this.#block.type) {
      // Text for the previous block goes out first, at once: events stay in the order the model wrote them. The new
      // block's first text then goes at once too: the answer after a thinking block would otherwise wait a whole
      // flushMs from that flush (bench/README.md, the thinking relay-lag note).
      this.flush();
      this.#block = block;
      this.#lastFlushAt = undefined;
    }
    this.#buffer += text;
    if (this.#lastFlushAt === undefined || this.#buffer.length >= this.#options.maxChars) {
      this.flush();
      return;
    }
    if (this.#timer === undefined) {
      const wait = Math.max(0, this.#lastFlushAt + this.#options.flushMs - this.#timers.now());
      this.#timer = this.#timers.setTimeout(() => {
        this.#timer = undefined;
        if (this.#options.ready && !this.#options.ready()) this.#deferred = true;
        else this.flush();
      }, wait);
    }
  }

  /** The publisher caught up: a batch that came due meanwhile goes now. */
  resume(): void {
    if (!this.#deferred) return;
    this.#deferred = false;
    this.flush();
  }

  /** Hands what is buffered to `onFlush` now (the end of a reply, a stop, an error). */
  flush(): void {
    this.#deferred = false;
    if (this.#timer !== undefined) {
      this.#timers.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#buffer === '') return;
    const text = this.#buffer;
    this.#buffer = '';
    this.#lastFlushAt = this.#timers.now();
    this.#flushes += 1;
    this.#options.onFlush(text, this.#block);
  }

  get flushes(): number {
    return this.#flushes;
  }
}
