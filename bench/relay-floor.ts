// The floor under relay-lag.ts's concurrent streams: the same streams, pacing, coalescing and signed publishReplyEvent,
// with the chat function's own work (the Anthropic SDK, DynamoDB, Powertools) replaced by relay-floor-function.ts,
// bundled here and loaded through `sandbox.lambda.update` as rig.ts loads the chat function. Two ways to publish:
// - `appsync`: to the sandbox's AppSync, as the chat function does (SigV4 check, GraphQL, the resolver, then the hub);
// - `hub`: the same signed request to a bare HTTP server in the bench, which hands the event straight to the real-time
//   hub (no SigV4 check, no GraphQL, no resolver): what AppSync's request path costs on this machine.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { FloorEvent } from './relay-floor-function.ts';
import type { Stream } from './relay-lag.ts';
import type { Chat, Rig } from './rig.ts';
import { ROOT } from './rig.ts';

export type FloorKind = 'appsync' | 'hub';

export interface RelayFloor {
  /** One reply of `tokens` per chat, all at once, from the floor function publishing the `kind` way; resolves once all ended. */
  round(chats: readonly Chat[], tokens: number, label: string, kind: FloorKind): Promise<Stream[]>;
  close(): Promise<void>;
}

/** A server that takes publishReplyEvent requests and hands each event to the hub as AppSync does after its resolver. */
async function startHubDoor(rig: Rig): Promise<{ url: string; close(): Promise<void> }> {
  const hub = rig.sandbox.realtime;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { input: Record<string, unknown> } };
      const value = request.variables.input;
      const body = JSON.stringify({ data: { publishReplyEvent: value } });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      // AppSync answers the mutation, then publishes (sandbox/appsync/api.ts): the same order here.
      hub.publish({ response: { data: { publishReplyEvent: value } }, operation: null, mutations: [{ fieldName: 'publishReplyEvent', alias: 'publishReplyEvent', value, instances: [] }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startRelayFloor(rig: Rig): Promise<RelayFloor> {
  const chat = rig.sandbox.template.functions.find((f) => f.environment['FLUSH_MS'] !== undefined);
  if (!chat) throw new Error('the template has no chat function (FLUSH_MS)');
  const dir = mkdtempSync(join(tmpdir(), 'bench-relay-floor-'));
  await build({
    entryPoints: [join(ROOT, 'bench/relay-floor-function.ts')], outfile: join(dir, 'index.mjs'), bundle: true, platform: 'node', format: 'esm',
    target: 'node22', minify: true, logLevel: 'silent',
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const name = `${chat.name}-relay-floor`;
  rig.sandbox.lambda.update({
    name, codeDir: dir, handler: 'index.handler', timeoutSeconds: chat.timeoutSeconds, memoryMb: chat.memoryMb, runtime: chat.runtime, maxEventRetries: 0,
    environment: {
      FLUSH_MS: String(rig.flushMs), FLUSH_MAX_CHARS: chat.environment['FLUSH_MAX_CHARS'] ?? '2000', FLOOR_CLAUDE_URL: rig.claude.url, FLOOR_MODEL_ID: rig.modelId,
    },
  });
  const door = await startHubDoor(rig);
  const publishUrl: Record<FloorKind, string> = { appsync: rig.sandbox.urls.graphql, hub: door.url };

  return {
    async round(chats, tokens, label, kind) {
      const streams = chats.map((c) => ({ subscriber: c.subscriber, replyId: `floor-${randomUUID()}` }));
      await Promise.all(chats.map(async (c, i) => {
        const event: FloorEvent = {
          owner: c.who.sub, conversationId: c.conversationId, replyId: streams[i]?.replyId ?? '', content: `[[standin:tokens=${tokens}]] floor ${kind} ${i} of ${label}`,
          publishUrl: publishUrl[kind],
        };
        const result = await rig.sandbox.lambda.invoke(name, event, 'RequestResponse');
        if (result.functionError) throw new Error(`the relay floor failed: ${JSON.stringify(result.error)}`);
      }));
      await Promise.all(streams.map((s) => s.subscriber.ended(s.replyId, 90_000)));
      return streams;
    },
    close: async () => {
      await door.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
