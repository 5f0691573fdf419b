// The product's sandbox as the benchmarks use it: infra/ synthesized and served (test/e2e/product.ts), with the
// chat function pointed at the bench's timed stand-in and at a counting DynamoDB proxy, and every
// publishReplyEvent counted where AppSync hands it to the real-time hub.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { startProduct, user, type Product, type User } from '../test/e2e/product.ts';
import { startCountingProxy, type CountingProxy } from './dynamodb-proxy.ts';
import { startTimedStandIn, type TimedStandIn } from './timed-stand-in.ts';

export interface PublishCount { events: number; bytes: number }

export interface Rig {
  product: Product;
  sandbox: Sandbox;
  claude: TimedStandIn;
  /** The chat function's DynamoDB traffic. */
  functionDb: CountingProxy;
  /** publishReplyEvent mutations by messageId; bytes are the JSON of the published event. */
  publishes: Map<string, PublishCount>;
  flushMs: number;
  modelId: string;
  tableName: string;
  /** The chat function's "reply ended" log line for a reply, once it is written. */
  replySummary(replyId: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  newUser(label: string): Promise<User>;
  stop(): Promise<void>;
}

function countPublishes(sandbox: Sandbox, into: Map<string, PublishCount>): void {
  const hub = sandbox.realtime;
  const deliver = hub.publish.bind(hub);
  hub.publish = (outcome) => {
    for (const mutation of outcome.mutations) {
      if (mutation.fieldName !== 'publishReplyEvent') continue;
      const value = mutation.value as { messageId?: string } | null;
      const key = value?.messageId ?? 'unknown';
      const count = into.get(key) ?? { events: 0, bytes: 0 };
      into.set(key, { events: count.events + 1, bytes: count.bytes + Buffer.byteLength(JSON.stringify(value)) });
    }
    deliver(outcome);
  };
}

/** Same code, same configuration: only the two endpoints change, before the bundle is loaded. */
function redirectChatFunction(sandbox: Sandbox, claudeUrl: string, dynamoUrl: string, dir: string) {
  const spec = sandbox.template.functions.find((f) => f.environment['FLUSH_MS'] !== undefined);
  if (!spec) throw new Error('the template has no chat function (FLUSH_MS)');
  const module = spec.handler.slice(0, spec.handler.lastIndexOf('.'));
  const original = pathToFileURL(resolve(spec.codeDir, `${module}.mjs`)).href;
  writeFileSync(join(dir, 'index.mjs'), [
    `process.env.ANTHROPIC_BASE_URL = ${JSON.stringify(claudeUrl)};`,
    `process.env.AWS_ENDPOINT_URL_DYNAMODB = ${JSON.stringify(dynamoUrl)};`,
    `const { handler: original } = await import(${JSON.stringify(original)});`,
    'export const handler = original;',
    '',
  ].join('\n'));
  sandbox.lambda.update({ ...spec, codeDir: dir, handler: `index.${spec.handler.slice(spec.handler.lastIndexOf('.') + 1)}` });
  return spec;
}

export async function startRig(): Promise<Rig> {
  const product = await startProduct();
  const { sandbox } = product;
  const claude = await startTimedStandIn({ tokensPerSecond: 200, firstTokenDelayMs: 0 });
  const functionDb = await startCountingProxy(sandbox.dynamodb.endpoint);
  const dir = mkdtempSync(join(tmpdir(), 'bench-chat-'));
  const spec = redirectChatFunction(sandbox, claude.url, functionDb.url, dir);
  const publishes = new Map<string, PublishCount>();
  countPublishes(sandbox, publishes);
  let users = 0;

  const replySummary = async (replyId: string, timeoutMs = 30_000): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = product.logs.records.find((r) => r.message.includes('reply ended') && r.message.includes(replyId));
      if (line) return JSON.parse(line.message.slice(line.message.indexOf('{'))) as Record<string, unknown>;
      if (Date.now() > deadline) throw new Error(`no "reply ended" line for ${replyId}`);
      await new Promise((done) => setTimeout(done, 20));
    }
  };

  return {
    product, sandbox, claude, functionDb, publishes, replySummary,
    flushMs: Number(spec.environment['FLUSH_MS']),
    modelId: spec.environment['MODEL_ID'] ?? 'claude-sonnet-4-5',
    tableName: spec.environment['TABLE_NAME'] ?? '',
    newUser: (label) => user(sandbox, `${label}-${(users += 1)}@bench.example`),
    stop: async () => {
      await product.stop();
      await claude.close();
      await functionDb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
