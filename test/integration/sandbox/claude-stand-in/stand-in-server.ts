// Test harness: the Claude stand-in on an http server at port 0, mounted under /claude/ as the sandbox mounts it, and
// the real SDK pointed at it. The one way tests start and stop a stand-in (the chat function's harness uses it too).
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { createLogger, memorySink, type LogRecord, type Logger } from '../../../../sandbox/log.ts';
import { startClaudeStandIn, type ClaudeStandIn, type ClaudeStandInOptions } from '../../../../sandbox/claude-stand-in/stand-in.ts';

export const MODEL = 'claude-sonnet-4-6';

export type StandInOptions = Omit<ClaudeStandInOptions, 'log' | 'pathPrefix'>;

/** Where the server mounts the stand-in, as the sandbox does (`/claude/`). */
const MOUNT = '/claude';

export interface RunningStandIn {
  /** The stand-in answering now; `replace` swaps in another. */
  readonly standIn: ClaudeStandIn;
  /** Starts a stand-in with `options` over the first one's and serves the next requests with it; the one before keeps its open answers. */
  replace(options: StandInOptions): ClaudeStandIn;
  /** Where the SDK's `baseURL` points: the stand-in mounted under `/claude`. */
  baseURL: string;
  records: LogRecord[];
  /** Resolves with the next log record that `matches`, as it is written. */
  nextRecord(matches: (record: LogRecord) => boolean): Promise<LogRecord>;
  client(options?: { maxRetries?: number }): Anthropic;
  /** POSTs a JSON body to a path under the server's origin, as a client other than the SDK would. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** Stops every stand-in it started (dropping open answers), then the server. */
  stop(): Promise<void>;
}

/** Answers with 418 what the stand-in leaves to the next route, so tests can tell. */
function serveWith(current: () => ClaudeStandIn): http.RequestListener {
  return (req, res) => {
    void current().routes[0](req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418, { 'content-type': 'text/plain' });
        res.end('not the stand-in');
      }
    });
  };
}

/** A memory log whose records a test can await as they are written. */
function recordingLog(): { log: Logger; records: LogRecord[]; nextRecord: RunningStandIn['nextRecord'] } {
  const sink = memorySink();
  const written = new EventEmitter();
  const log = createLogger('claude', (record) => {
    sink(record);
    written.emit('record', record);
  });
  const nextRecord: RunningStandIn['nextRecord'] = (matches) => new Promise((resolve) => {
    const listener = (record: LogRecord): void => {
      if (!matches(record)) return;
      written.off('record', listener);
      resolve(record);
    };
    written.on('record', listener);
  });
  return { log, records: sink.records, nextRecord };
}

/**
 * A stand-in for the tests of the calling describe block (or file): started before each test ('each') or once
 * before all of them ('all'), stopped after. Read it through the returned function, inside a test or hook.
 */
export function useStandIn(lifetime: 'each' | 'all', options: StandInOptions | (() => StandInOptions) = {}): () => RunningStandIn {
  let running: RunningStandIn | undefined;
  const [before, after] = lifetime === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    running = await startStandIn(typeof options === 'function' ? options() : options);
  });
  after(async () => {
    await running?.stop();
    running = undefined;
  });
  return () => {
    if (running === undefined) throw new Error('the stand-in runs only inside a test or hook of its describe block');
    return running;
  };
}

export async function startStandIn(options: StandInOptions = {}): Promise<RunningStandIn> {
  const { log, records, nextRecord } = recordingLog();
  const start = (more: StandInOptions): ClaudeStandIn => startClaudeStandIn({ tokensPerSecond: 0, ...options, ...more, log, pathPrefix: `${MOUNT}/` });
  let current = start({});
  const started = [current];
  const server = http.createServer(serveWith(() => current));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseURL = `${origin}${MOUNT}`;
  return {
    get standIn() {
      return current;
    },
    replace: (more) => {
      current = start(more);
      started.push(current);
      return current;
    },
    baseURL,
    records,
    nextRecord,
    client: ({ maxRetries = 0 } = {}) => new Anthropic({ apiKey: 'sandbox', baseURL, maxRetries }),
    post: (path, body, headers = { 'x-api-key': 'sandbox' }) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    stop: async () => {
      await Promise.all(started.map((standIn) => standIn.stop()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SseFrame {
  event: string;
  data: unknown;
}

/** Parses raw SSE text into frames, by the format alone: `event:` and `data:` lines, a blank line between. */
export function parseSse(text: string): SseFrame[] {
  return text.split('\n\n').filter((chunk) => chunk.trim() !== '').map((chunk) => {
    const lines = chunk.split('\n');
    const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length) ?? '';
    const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length) ?? 'null';
    return { event, data: JSON.parse(data) as unknown };
  });
}

/** A system prompt of about `tokens` tokens (4 characters each), for prompt-cache tests. */
export function longText(tokens: number, seed = 'context'): string {
  return `${seed} `.repeat(Math.ceil((tokens * 4) / (seed.length + 1))).slice(0, tokens * 4);
}
