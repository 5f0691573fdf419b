// The chat function's test bench: the sandbox (GraphQL engine, DynamoDB Local, Cognito) from a small template,
// a Claude stand-in on its own port whose pacing a test can change, and the real handler run in-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { ChatEvent, ReplyEvent } from '../../../../functions/chat/event.ts';
import type { ReplySummary } from '../../../../functions/chat/reply.ts';
import { conversationSk, messageSk, messagesPk, recencySk, userPk } from '../../../../resolvers/keys.ts';
import type { ClaudeStandIn } from '../../../../sandbox/claude-stand-in/stand-in.ts';
import { memorySink } from '../../../../sandbox/log.ts';
import { startSandbox, type Sandbox } from '../../../../sandbox/sandbox.ts';
import { startStandIn } from '../../sandbox/claude-stand-in/stand-in-server.ts';
import { RawClient } from '../../sandbox/ws-client.ts';
import { user as signedInUser } from '../../../e2e/product.ts';
import { productTemplate } from '../../../support/product-template.ts';
import { sharedTestParts } from '../../../support/sandbox-options.ts';

export type Handler = (event: unknown) => Promise<ReplySummary>;

export interface EventLog {
  events: ReplyEvent[];
  /** Resolves once an event passes `test`; fails after `timeoutMs` naming what was awaited. */
  waitFor(test: (event: ReplyEvent) => boolean, what: string, timeoutMs?: number): Promise<ReplyEvent>;
  deltas(): string;
}

export interface Turn extends ChatEvent {
  conversationKey: { pk: string; sk: string };
  replyKey: { pk: string; sk: string };
}

export interface ChatHarness {
  sandbox: Sandbox;
  db: DynamoDBDocumentClient;
  tableName: string;
  owner: string;
  /** The signed-in user's ID token, as sendMessage would pass it to the function (`userToken`). */
  idToken: string;
  handler: Handler;
  /** The stand-in answering now; `useStandIn` swaps in one with other pacing. */
  standIn: ClaudeStandIn;
  useStandIn(tokensPerSecond: number): ClaudeStandIn;
  seedTurn(options: {
    content: string; title?: string | null; systemPrompt?: string; model?: string; thinkingBudgetTokens?: number; earlier?: { role: 'USER' | 'ASSISTANT'; content: string; status?: string }[];
    /** What sendMessage reserved of the day's quota for this reply (the reply item's `reservation`). */
    reservation?: { day: string; tokens: number; outputTokens: number };
  }): Promise<Turn>;
  subscribe(conversationId: string): Promise<EventLog>;
  read(key: { pk: string; sk: string }): Promise<Record<string, unknown>>;
  /** Asks the running reply to stop, as the stopReply resolver does: `stopRequested` on its item. */
  requestStop(key: { pk: string; sk: string }): Promise<void>;
  stop(): Promise<void>;
}

const CITATION = 'type citedText documentIndex documentTitle start end';
const ON_REPLY_EVENT = `subscription ($conversationId: ID!) { onReplyEvent(conversationId: $conversationId) {
  conversationId messageId owner seq type index text title status stopReason error
  block { index type text toolUseId name input status output isError citations { ${CITATION} } }
  citation { ${CITATION} }
  usage { inputTokens outputTokens cacheReadInputTokens cacheCreationInputTokens } } }`;

export async function startChatHarness(env: Record<string, string> = {}): Promise<ChatHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'chat-test-'));
  // The product's own template: its publishReplyEvent and onReplyEvent resolvers, its table.
  const { cdkOut, stackName } = await productTemplate(dir);
  const sandbox = await startSandbox({ cdkOut, stackName, stateDir: join(dir, 'state'), logSink: memorySink(), anthropicApiKey: 'unused', ...sharedTestParts() });
  // The function signs Bedrock calls with the AWS_* keys set below.
  const principal = { accessKeyId: sandbox.iam.accessKeyId, secretAccessKey: sandbox.iam.secretAccessKey, accountId: '000000000000', userArn: 'arn:aws:sts::000000000000:assumed-role/chat/test', username: 'AROA:test' };
  const claude = await startStandIn({ tokensPerSecond: 0, iamPrincipals: [principal] });
  const tableName = sandbox.template.tables[0]?.tableName ?? '';
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    GRAPHQL_URL: sandbox.urls.graphql,
    AWS_ENDPOINT_URL_DYNAMODB: sandbox.dynamodb.endpoint,
    AWS_ACCESS_KEY_ID: sandbox.iam.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandbox.iam.secretAccessKey,
    AWS_REGION: 'us-east-1',
    ANTHROPIC_BASE_URL: claude.baseURL,
    ANTHROPIC_BEDROCK_BASE_URL: `${claude.baseURL}/bedrock`,
    ANTHROPIC_API_KEY: 'sandbox',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...env,
  });
  const { handler } = await import('../../../../functions/chat/handler.ts');
  const db = DynamoDBDocumentClient.from(sandbox.dynamodb.client);
  const user = await signedInUser(sandbox, 'ana@example.com');
  const host = new URL(sandbox.urls.graphql).host;
  const ulid = monotonicFactory();
  const sockets: RawClient[] = [];

  const seedTurn: ChatHarness['seedTurn'] = async (options) => {
    const conversationId = ulid();
    const now = new Date().toISOString();
    const pk = messagesPk(user.sub, conversationId);
    for (const message of options.earlier ?? []) {
      const id = ulid();
      await db.send(new PutCommand({ TableName: tableName, Item: { pk, sk: messageSk(id), id, conversationId, role: message.role, content: message.content, status: message.status ?? 'COMPLETE', seq: 0, createdAt: now, updatedAt: now } }));
    }
    const userMessageId = ulid();
    const replyId = ulid();
    await db.send(new PutCommand({ TableName: tableName, Item: { pk, sk: messageSk(userMessageId), id: userMessageId, conversationId, role: 'USER', content: options.content, status: 'COMPLETE', seq: 0, createdAt: now, updatedAt: now } }));
    await db.send(new PutCommand({ TableName: tableName, Item: { pk, sk: messageSk(replyId), id: replyId, conversationId, role: 'ASSISTANT', content: '', status: 'PENDING', seq: 0, createdAt: now, updatedAt: now, replyTo: userMessageId, stopRequested: false, ...(options.reservation ? { reservation: options.reservation } : {}) } }));
    const conversationKey = { pk: userPk(user.sub), sk: conversationSk(conversationId) };
    await db.send(new PutCommand({ TableName: tableName, Item: {
      ...conversationKey, id: conversationId, title: options.title === undefined ? 'A conversation' : options.title, model: options.model ?? 'claude-sonnet-4-6',
      systemPrompt: options.systemPrompt ?? null, thinkingBudgetTokens: options.thinkingBudgetTokens ?? null, createdAt: now, updatedAt: now, messageCount: (options.earlier?.length ?? 0) + 2, activeReplyId: replyId,
      gsi1pk: userPk(user.sub), gsi1sk: recencySk(now, conversationId),
    } }));
    return { owner: user.sub, conversationId, replyId, userMessageId, conversationKey, replyKey: { pk, sk: messageSk(replyId) } };
  };

  const subscribe = async (conversationId: string): Promise<EventLog> => {
    const client = await RawClient.open(sandbox.urls.realtime, { Authorization: user.idToken, host });
    sockets.push(client);
    await client.init();
    const ack = await client.start('replies', ON_REPLY_EVENT, { conversationId }, { Authorization: user.idToken, host });
    if (ack.type !== 'start_ack') throw new Error(`subscription refused: ${JSON.stringify(ack)}`);
    const eventOf = (frame: { payload?: Record<string, unknown> }): ReplyEvent =>
      ((frame.payload?.['data'] as Record<string, unknown> | undefined)?.['onReplyEvent']) as ReplyEvent;
    const events = (): ReplyEvent[] => client.data('replies').map(eventOf);
    return {
      get events() {
        return events();
      },
      waitFor: async (test, what, timeoutMs = 20_000) => eventOf(await client.waitFor((frame) => frame.type === 'data' && frame.id === 'replies' && test(eventOf(frame)), what, timeoutMs)),
      deltas: () => events().filter((event) => event.type === 'DELTA').map((event) => (event as { text: string }).text).join(''),
    };
  };

  const read = async (key: { pk: string; sk: string }): Promise<Record<string, unknown>> =>
    (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item ?? {};

  return {
    sandbox, db, tableName, owner: user.sub, idToken: user.idToken, handler, seedTurn, subscribe, read,
    requestStop: async (key) => {
      await db.send(new UpdateCommand({ TableName: tableName, Key: key, UpdateExpression: 'SET stopRequested = :yes', ExpressionAttributeValues: { ':yes': true } }));
    },
    get standIn() {
      return claude.standIn;
    },
    useStandIn: (tokensPerSecond) => claude.replace({ tokensPerSecond }),
    stop: async () => {
      for (const socket of sockets) socket.close();
      await claude.stop();
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
