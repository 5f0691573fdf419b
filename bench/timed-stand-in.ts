// The Claude stand-in, served by the bench itself so that every text_delta it writes is timestamped on the
// bench's clock: the "emitted" end of relay lag. Pacing can change between benchmarks (a new stand-in per pacing).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startClaudeStandIn, type ClaudeStandIn } from '../sandbox/claude-stand-in/stand-in.ts';
import { createLogger } from '../sandbox/log.ts';
import { now } from './stats.ts';

export interface Pacing { tokensPerSecond: number; firstTokenDelayMs: number }

export interface ModelStream {
  /** When the request reached the stand-in. */
  arrivedAt: number;
  /** Each text_delta as the stand-in wrote it to the socket. */
  deltas: { at: number; text: string }[];
  text: string;
}

export interface TimedStandIn {
  /** ANTHROPIC_BASE_URL for a client of this stand-in. */
  url: string;
  streams: ModelStream[];
  setPacing(pacing: Pacing): void;
  close(): Promise<void>;
}

/** The text of a `content_block_delta` frame carrying a `text_delta`, else undefined. */
function deltaText(chunk: unknown): string | undefined {
  const frame = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
  if (!frame.startsWith('event: content_block_delta')) return undefined;
  const data = frame.split('\n').find((line) => line.startsWith('data: '));
  const parsed = data ? (JSON.parse(data.slice(6)) as { delta?: { type?: string; text?: string } }) : undefined;
  return parsed?.delta?.type === 'text_delta' ? parsed.delta.text : undefined;
}

export async function startTimedStandIn(pacing: Pacing): Promise<TimedStandIn> {
  const quiet = createLogger('bench-claude', () => undefined);
  const made: ClaudeStandIn[] = [];
  let current = startClaudeStandIn({ log: quiet, ...pacing });
  made.push(current);
  const streams: ModelStream[] = [];

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const stream: ModelStream = { arrivedAt: now(), deltas: [], text: '' };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      const text = deltaText(chunk);
      if (text !== undefined) {
        if (stream.deltas.length === 0) streams.push(stream);
        stream.deltas.push({ at: now(), text });
        stream.text += text;
      }
      return write(chunk, ...rest);
    }) as typeof res.write;
    void current.routes[0](req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  };
  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    streams,
    setPacing: (next) => {
      current = startClaudeStandIn({ log: quiet, ...next });
      made.push(current);
    },
    close: async () => {
      await Promise.all(made.map((standIn) => standIn.stop()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
