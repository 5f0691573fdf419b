// The product's sandbox for end-to-end tests: infra/'s dev stage synthesized into a temp folder and
// served on port 0, with helpers that act as a front end would.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { productTemplate } from '../support/product-template.ts';
import { memorySink } from '../../sandbox/log.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/sandbox.ts';
import { RawClient, type Frame } from '../integration/sandbox/ws-client.ts';
import { graphql, iamGraphql, type GraphqlAnswer } from '../integration/sandbox/start.ts';
import { ChatApi, graphqlClient, RealtimeClient, type RealtimeClientOptions } from '../../clients/kit/index.ts';
import { sharedTestParts } from '../support/sandbox-options.ts';

export interface Product {
  sandbox: Sandbox;
  logs: ReturnType<typeof memorySink>;
  stop(): Promise<void>;
}

export async function startProduct(options: Partial<SandboxOptions> = {}): Promise<Product> {
  const dir = mkdtempSync(join(tmpdir(), 'product-'));
  const { cdkOut, stackName } = await productTemplate(dir);
  const logs = memorySink();
  const sandbox = await startSandbox({ cdkOut, stackName, stateDir: join(dir, 'state'), logSink: logs, claude: { tokensPerSecond: 0 }, ...sharedTestParts(options), ...options });
  return {
    sandbox,
    logs,
    stop: async () => {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface User { email: string; sub: string; accessToken: string; idToken: string }

/**
 * A confirmed user with the tokens a sign-in through the app client gives (the pool's adminIssueTokens, as the test
 * kit's createUser: sandbox/public.ts). Signing in with SRP is what first-chat.test.ts, the browser tests and
 * test/integration/sandbox/cognito/ test; in pure JavaScript it costs about a second of CPU a user, which every other
 * file would pay for nothing.
 */
export async function user(sandbox: Sandbox, email: string, password = 'Passw0rd!'): Promise<User> {
  const [pool] = [...sandbox.userPools.values()];
  if (!pool) throw new Error('the product template has no user pool');
  await pool.adminCreateUser({ username: email, password, attributes: { email, email_verified: 'true' } });
  const tokens = await pool.adminIssueTokens(email);
  const { sub } = JSON.parse(Buffer.from(tokens.AccessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string };
  return { email, sub, accessToken: tokens.AccessToken, idToken: tokens.IdToken };
}

export function api(sandbox: Sandbox, who: User) {
  return (query: string, variables: Record<string, unknown> = {}): Promise<GraphqlAnswer> => graphql(sandbox.urls.graphql, query, variables, { authorization: who.accessToken });
}

export { iamGraphql };

/** The client kit as a front end builds it for `who`: the chat operations and one real-time client (options added). */
export function kitFor(sandbox: Sandbox, who: Pick<User, 'accessToken'>, options: Partial<RealtimeClientOptions> = {}): { api: ChatApi; realtime: RealtimeClient } {
  const { urls } = sandbox;
  const token = (): string => who.accessToken;
  return {
    api: new ChatApi(graphqlClient({ url: urls.graphql, token }).request),
    realtime: new RealtimeClient({ graphqlUrl: urls.graphql, realtimeUrl: urls.realtime, token, ...options }),
  };
}

export const CREATE_CONVERSATION = 'mutation C($input: CreateConversationInput) { createConversation(input: $input) { id title model createdAt updatedAt messageCount } }';
export const SEND = `mutation S($input: SendMessageInput!) { sendMessage(input: $input) {
  userMessage { id conversationId role content status seq }
  reply { id conversationId role content status seq replyTo } } }`;
export const GET_MESSAGE = 'query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) { id content status seq stopReason error usage { inputTokens outputTokens } } }';
export const STOP_REPLY = 'mutation P($c: ID!) { stopReply(conversationId: $c) { id status } }';
export const ON_REPLY = 'subscription R($c: ID!) { onReplyEvent(conversationId: $c) { conversationId messageId owner seq type text title status stopReason error } }';

export async function conversation(sandbox: Sandbox, who: User, title: string | null = null): Promise<string> {
  const answer = await api(sandbox, who)(CREATE_CONVERSATION, { input: title ? { title } : {} });
  const created = answer.body.data?.createConversation as { id: string } | undefined;
  if (!created) throw new Error(`createConversation failed: ${JSON.stringify(answer.body)}`);
  return created.id;
}

export interface Turn { userMessage: { id: string }; reply: { id: string; status: string } }

export async function send(sandbox: Sandbox, who: User, conversationId: string, content: string, clientMessageId = randomUUID()): Promise<Turn> {
  const answer = await api(sandbox, who)(SEND, { input: { conversationId, content, clientMessageId } });
  const turn = answer.body.data?.sendMessage as Turn | undefined;
  if (!turn) throw new Error(`sendMessage failed: ${JSON.stringify(answer.body)}`);
  return turn;
}

/** A raw real-time subscription to a conversation's reply events. */
export async function subscribe(sandbox: Sandbox, who: User, conversationId: string, id = 'reply'): Promise<RawClient> {
  const host = new URL(sandbox.urls.graphql).host;
  const client = await RawClient.open(sandbox.urls.realtime, { Authorization: who.accessToken, host });
  await client.init();
  const ack = await client.start(id, ON_REPLY, { c: conversationId }, { Authorization: who.accessToken, host });
  if (ack.type !== 'start_ack') throw new Error(`subscription refused: ${JSON.stringify(ack)}`);
  return client;
}

export interface ReplyEvent { messageId: string; seq: number; type: string; text: string | null; title: string | null; status: string | null; error: string | null; stopReason: string | null; owner: string }

export function events(client: RawClient, id = 'reply'): ReplyEvent[] {
  return client.data(id).map((f: Frame) => (f.payload?.data as { onReplyEvent: ReplyEvent }).onReplyEvent);
}

/** Waits for the reply's DONE or ERROR event. */
export async function ended(client: RawClient, replyId: string, id = 'reply', timeoutMs = 30_000): Promise<ReplyEvent> {
  const isEnd = (e: ReplyEvent): boolean => e.messageId === replyId && (e.type === 'DONE' || e.type === 'ERROR');
  // Tested on each frame as it comes, not by re-reading every event so far (a long reply has hundreds).
  const eventOf = (f: Frame): ReplyEvent | undefined => (f.type === 'data' && f.id === id ? (f.payload?.data as { onReplyEvent: ReplyEvent }).onReplyEvent : undefined);
  await client.waitFor((f) => { const event = eventOf(f); return event !== undefined && isEnd(event); }, `the end of reply ${replyId}`, timeoutMs);
  return events(client, id).find(isEnd) as ReplyEvent;
}
