// The set-up the benchmarks share. The product's sandbox as they use it: infra/ synthesized and served
// (test/e2e/product.ts), with the chat function pointed at the bench's timed stand-in and at a counting DynamoDB
// proxy, every publishReplyEvent counted where AppSync hands it to the real-time hub, and the steps a benchmark
// takes on it (users, conversations with a timed subscriber, turns, IAM-signed publishes). Also where the
// repository and its tsx are, for the benchmarks that spawn processes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { appSyncSender, type SendEvent } from '../functions/chat/publisher.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { conversation, send, startProduct, user, type Product, type Turn, type User } from '../test/e2e/product.ts';
import { startCountingProxy, type CountingProxy } from './dynamodb-proxy.ts';
import { timedSubscriber, type TimedSubscriber } from './subscriber.ts';
import { startTimedStandIn, type TimedStandIn } from './timed-stand-in.ts';

/** The repository, and the tsx it runs TypeScript with. */
export const ROOT = join(import.meta.dirname, '..');
export const TSX = join(ROOT, 'node_modules/.bin/tsx');

export interface PublishCount { events: number; bytes: number }

/** A user's conversation with a timed subscriber on its reply events. */
export interface Chat { who: User; conversationId: string; subscriber: TimedSubscriber }

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
  /** createConversation as `who`; the conversation's id. */
  conversation(who: User, title: string): Promise<string>;
  /** A real-time subscription of `who` to the conversation's reply events, timestamped as they arrive. */
  subscribe(who: User, conversationId: string): Promise<TimedSubscriber>;
  /** A new conversation of `who`'s, subscribed to. */
  chat(who: User, title: string): Promise<Chat>;
  /** sendMessage in the chat, without waiting for the reply. */
  send(chat: Chat, content: string): Promise<Turn>;
  /** sendMessage in the chat, then the reply's end at its subscriber; the reply's id. */
  reply(chat: Chat, content: string, timeoutMs?: number): Promise<string>;
  /** The sandbox's IAM keys, as the chat function signs with them. */
  iamCredentials: { accessKeyId: string; secretAccessKey: string };
  /** publishReplyEvent, signed with the sandbox's IAM keys as the chat function sends it. */
  publisher(): SendEvent;
  /**
   * Where the chat function's DynamoDB requests go: through the counting proxy (the default, for the rows that count
   * writes) or straight to DynamoDB Local (for latency rows: the proxy adds two hops in the bench's busy thread). The
   * function is loaded anew, so its next invocation is a cold start.
   */
  functionDynamoDb(via: 'proxy' | 'direct'): void;
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
  const functionDynamoDb = (via: 'proxy' | 'direct'): void => {
    redirectChatFunction(sandbox, claude.url, via === 'proxy' ? functionDb.url : sandbox.dynamodb.endpoint, dir);
  };
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

  const subscribe = (who: User, conversationId: string): Promise<TimedSubscriber> => timedSubscriber(sandbox, who, conversationId);
  const sendIn = (chat: Chat, content: string): Promise<Turn> => send(sandbox, chat.who, chat.conversationId, content);
  const iamCredentials = { accessKeyId: sandbox.iam.accessKeyId, secretAccessKey: sandbox.iam.secretAccessKey };

  return {
    product, sandbox, claude, functionDb, publishes, replySummary, iamCredentials, subscribe, functionDynamoDb,
    flushMs: Number(spec.environment['FLUSH_MS']),
    modelId: spec.environment['MODEL_ID'] ?? 'claude-sonnet-4-5',
    tableName: spec.environment['TABLE_NAME'] ?? '',
    newUser: (label) => user(sandbox, `${label}-${(users += 1)}@bench.example`),
    conversation: (who, title) => conversation(sandbox, who, title),
    chat: async (who, title) => {
      const conversationId = await conversation(sandbox, who, title);
      return { who, conversationId, subscriber: await subscribe(who, conversationId) };
    },
    send: sendIn,
    reply: async (chat, content, timeoutMs) => {
      const { reply } = await sendIn(chat, content);
      await chat.subscriber.ended(reply.id, timeoutMs);
      return reply.id;
    },
    publisher: () => appSyncSender({ url: sandbox.urls.graphql, region: sandbox.template.region, credentials: iamCredentials }),
    stop: async () => {
      await product.stop();
      await claude.close();
      await functionDb.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
