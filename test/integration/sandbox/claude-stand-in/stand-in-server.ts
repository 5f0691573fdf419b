// Test harness: the Claude stand-in on an http server at port 0, and the real SDK pointed at it.
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { createLogger, memorySink, type LogRecord } from '../../../sandbox/log.ts';
import { createClaudeStandIn, type ClaudeStandIn, type ClaudeStandInOptions } from '../../../sandbox/claude-stand-in/stand-in.ts';

export const MODEL = 'claude-sonnet-4-6';

export interface RunningStandIn {
  standIn: ClaudeStandIn;
  /** Where the SDK's `baseURL` points: the stand-in mounted under `/claude`. */
  baseURL: string;
  records: LogRecord[];
  /** Resolves with the next log record that `matches`, as it is written. */
  nextRecord(matches: (record: LogRecord) => boolean): Promise<LogRecord>;
  client(options?: { maxRetries?: number }): Anthropic;
  /** POSTs a JSON body to a path under the server's origin, as a client other than the SDK would. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export async function startStandIn(options: Omit<ClaudeStandInOptions, 'log'> = {}): Promise<RunningStandIn> {
  const sink = memorySink();
  const written = new EventEmitter();
  const log = createLogger('claude', (record) => {
    sink(record);
    written.emit('record', record);
  });
  const standIn = createClaudeStandIn({ tokensPerSecond: 0, ...options, log });
  const handle = standIn.httpHandler();
  const server = http.createServer((req, res) => {
    void handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418, { 'content-type': 'text/plain' });
        res.end('not the stand-in');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseURL = `${origin}/claude`;
  return {
    standIn,
    baseURL,
    records: sink.records,
    nextRecord: (matches) => new Promise((resolve) => {
      const listener = (record: LogRecord): void => {
        if (!matches(record)) return;
        written.off('record', listener);
        resolve(record);
      };
      written.on('record', listener);
    }),
    client: ({ maxRetries = 0 } = {}) => new Anthropic({ apiKey: 'sandbox', baseURL, maxRetries }),
    post: (path, body, headers = { 'x-api-key': 'sandbox' }) =>
      fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    stop: async () => {
      await standIn.close();
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
