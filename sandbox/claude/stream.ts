// Server-sent events for the stand-in: `event: <type>\ndata: <json>\n\n` frames, written in order, paced on a clock.
// Frame format from Anthropic's "Streaming Messages" page.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export class SseWriter {
  constructor(
    private readonly res: ServerResponse,
    private readonly signal: AbortSignal,
  ) {}

  /** False once the client went away, the stand-in closed, or the connection was cut. */
  get open(): boolean {
    return !this.signal.aborted && !this.res.destroyed && !this.res.writableEnded;
  }

  start(headers: Record<string, string>): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...headers,
    });
    this.res.flushHeaders();
  }

  /** Writes one frame and resolves once the socket took it, so a cut after it loses nothing before it. */
  async event(type: string, data: unknown): Promise<void> {
    if (!this.open) return;
    const frame = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    // The write's callback may never come if the peer stops reading: a stop or a closed socket ends the wait too.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.signal.removeEventListener('abort', done);
        this.res.off('close', done);
        resolve();
      };
      this.signal.addEventListener('abort', done, { once: true });
      this.res.once('close', done);
      this.res.write(frame, () => done());
    });
  }

  end(): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.end();
  }

  /** Drops the connection mid-response, as a network failure would: no final chunk, no `message_stop`. */
  cut(): void {
    this.res.destroy();
  }
}
