// Streamed answers of the stand-in: server-sent events (`event: <type>\ndata: <json>\n\n`, Anthropic's "Streaming
// Messages" page) or Bedrock's event stream (event-stream.ts), written in order, paced on a clock.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** A streamed answer on one response: written in order, each write awaited, and cut like a dropped connection. */
export abstract class StreamWriter {
  constructor(
    private readonly res: ServerResponse,
    private readonly signal: AbortSignal,
  ) {}

  /** False once the client went away, the stand-in closed, or the connection was cut. */
  get open(): boolean {
    return !this.signal.aborted && !this.res.destroyed && !this.res.writableEnded;
  }

  /** Sends the status line and headers. */
  abstract start(): void;

  /** Writes one stream event (Anthropic's `type` and body) in the answer's framing. */
  abstract event(type: string, data: unknown): Promise<void>;

  protected writeHead(headers: Record<string, string>): void {
    this.res.writeHead(200, headers);
    this.res.flushHeaders();
  }

  /** Writes one frame and resolves once the socket took it, so a cut after it loses nothing before it. */
  protected async write(frame: string | Uint8Array): Promise<void> {
    if (!this.open) return;
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

/** Anthropic's framing: server-sent events. */
export class SseWriter extends StreamWriter {
  constructor(res: ServerResponse, signal: AbortSignal, private readonly headers: Record<string, string>) {
    super(res, signal);
  }

  start(): void {
    this.writeHead({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...this.headers });
  }

  event(type: string, data: unknown): Promise<void> {
    return this.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
