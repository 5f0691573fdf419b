// The Claude stand-in, served by the bench itself so that every text_delta it writes is timestamped on the
// bench's clock: the "emitted" end of relay lag. Pacing can change between benchmarks (a new stand-in per pacing).
// Every request is also kept with when it arrived and its body was whole, the tool results it carried and the tool_use
// blocks of its answer with when each one's content_block_stop was written: the two ends of the tool loop's overhead.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startClaudeStandIn, type ClaudeStandIn } from '../sandbox/claude-stand-in/stand-in.ts';
import { createLogger } from '../sandbox/log.ts';
import { frameOf, toolResultIdsOf, type SeenRequest, type StreamedToolUse } from './model-frames.ts';
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
  /** Every request, in the order it arrived, with the tool_use blocks of its answer. */
  requests: SeenRequest[];
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

/** Keeps a tool_use block's start (its id, name) and the time its content_block_stop is written. */
function noteToolUse(chunk: unknown, open: Map<number, StreamedToolUse>, seen: SeenRequest): void {
  const head = typeof chunk === 'string' ? chunk.slice(0, 32) : Buffer.isBuffer(chunk) ? chunk.toString('utf8', 0, 32) : '';
  if (head.startsWith('event: content_block_start')) {
    const frame = frameOf(chunk);
    const block = frame?.data['content_block'] as { type?: string; id?: string; name?: string } | undefined;
    if (block?.type !== 'tool_use') return;
    const use: StreamedToolUse = { id: String(block.id), name: String(block.name), stoppedAt: undefined };
    open.set(Number(frame?.data['index']), use);
    seen.toolUses.push(use);
  } else if (head.startsWith('event: content_block_stop') && open.size > 0) {
    const at = now();
    const use = open.get(Number(frameOf(chunk)?.data['index']));
    if (use) use.stoppedAt = at;
  }
}

export async function startTimedStandIn(pacing: Pacing): Promise<TimedStandIn> {
  const quiet = createLogger('bench-claude', () => undefined);
  const made: ClaudeStandIn[] = [];
  let current = startClaudeStandIn({ log: quiet, ...pacing });
  made.push(current);
  const streams: ModelStream[] = [];
  const requests: SeenRequest[] = [];

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const arrivedAt = now();
    const stream: ModelStream = { arrivedAt, deltas: [], text: '' };
    const seen: SeenRequest = { arrivedAt, receivedAt: undefined, toolResultIds: [], toolUses: [] };
    requests.push(seen);
    // The body is read where the parser hands it to the request (push), so the stand-in's own read is left as it is.
    const body: Buffer[] = [];
    const push = req.push.bind(req);
    req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
      if (chunk === null) {
        seen.receivedAt = now();
        seen.toolResultIds = toolResultIdsOf(Buffer.concat(body).toString('utf8'));
        body.length = 0;
      } else if (Buffer.isBuffer(chunk)) body.push(chunk);
      return push(chunk, encoding);
    };
    /** The tool_use blocks of the answer by their index, while they stream. */
    const toolUses = new Map<number, StreamedToolUse>();
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      const text = deltaText(chunk);
      if (text !== undefined) {
        if (stream.deltas.length === 0) streams.push(stream);
        stream.deltas.push({ at: now(), text });
        stream.text += text;
      } else noteToolUse(chunk, toolUses, seen);
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
    requests,
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
