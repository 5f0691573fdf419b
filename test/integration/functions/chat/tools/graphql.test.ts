// The GraphQL tools against the product's API in the sandbox, as the chat function runs them: with the token of the
// user who sent the message, which AppSync verifies and the resolvers key every read on. Two real users (SRP sign-in):
// the tools read only the caller's own data, a bad token reads nothing, and no outcome repeats the token.
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT } from 'jose';
import { toolRunnerFromCatalog } from '../../../../../functions/chat/tools/catalog.ts';
import type { ToolContext, ToolOutcome, ToolRunner } from '../../../../../functions/chat/tools/types.ts';
import { DEFAULT_TOOLS, validateTools } from '../../../../../infra/tools.ts';
import { usageSk, userPk } from '../../../../../resolvers/keys.ts';
import { memorySink } from '../../../../../sandbox/log.ts';
import { startSandbox, type Sandbox } from '../../../../../sandbox/sandbox.ts';
import { conversation, user, type User } from '../../../../e2e/product.ts';
import { productTemplate } from '../../../../support/product-template.ts';
import { sharedTestParts } from '../../../../support/sandbox-options.ts';

/** A read of one conversation's messages: what a tool gets when the id is another user's. */
const LIST_MESSAGES = {
  kind: 'graphql' as const,
  name: 'list_messages',
  description: 'The messages of one of the user\'s conversations, newest first.',
  inputSchema: { type: 'object' as const, properties: { conversationId: { type: 'string' } }, required: ['conversationId'], additionalProperties: false },
  document: 'query M($conversationId: ID!) { listMessages(conversationId: $conversationId) { items { id content } } }',
};

let dir: string;
let sandbox: Sandbox;
let ana: User;
let bo: User;
let runner: ToolRunner;
const anaConversations: string[] = [];
const boConversations: string[] = [];
/** The usage items seeded for each user, for today and tomorrow (UTC): a test may run across midnight. */
const SEEDED = { ana: { inputTokens: 5000, outputTokens: 1200 }, bo: { inputTokens: 310, outputTokens: 42 } };

const day = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function seedUsage(db: DynamoDBDocumentClient, tableName: string, who: User, usage: { inputTokens: number; outputTokens: number }): Promise<void> {
  for (const date of [day(0), day(1)]) {
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: userPk(who.sub), sk: usageSk(date), ...usage, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, committedTokens: usage.inputTokens + usage.outputTokens } }));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chat-tools-'));
  const { cdkOut, stackName } = await productTemplate(dir);
  sandbox = await startSandbox({ cdkOut, stackName, stateDir: join(dir, 'state'), logSink: memorySink(), claude: { tokensPerSecond: 0 }, ...sharedTestParts() });
  ana = await user(sandbox, 'ana@example.com');
  bo = await user(sandbox, 'bo@example.com');
  for (const title of ['Ana: merger plans', 'Ana: test results']) anaConversations.push(await conversation(sandbox, ana, title));
  for (const title of ['Bo: groceries', 'Bo: trip to Lisbon']) boConversations.push(await conversation(sandbox, bo, title));
  const db = DynamoDBDocumentClient.from(sandbox.dynamodb.client);
  const tableName = sandbox.template.tables[0]?.tableName ?? '';
  await seedUsage(db, tableName, ana, SEEDED.ana);
  await seedUsage(db, tableName, bo, SEEDED.bo);
  runner = toolRunnerFromCatalog(validateTools([...DEFAULT_TOOLS, LIST_MESSAGES]));
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function contextOf(who: User, userToken: string | undefined = who.accessToken): ToolContext {
  return { owner: who.sub, userToken, graphqlUrl: sandbox.urls.graphql, signal: new AbortController().signal, now: Date.now };
}

const run = (name: string, input: Record<string, unknown>, context: ToolContext): Promise<ToolOutcome> => runner.run({ id: 'toolu_1', name, input }, context);

/** Everything in an outcome that could carry another user's data or a token, as one string. */
const textOf = (outcome: ToolOutcome): string => JSON.stringify(outcome);

describe('list_recent_conversations run with a user\'s token', () => {
  it('lists that user\'s conversations, newest first, and none of the other user\'s', async () => {
    const outcome = await run('list_recent_conversations', { limit: 20 }, contextOf(bo));

    expect(outcome.isError).toBe(false);
    const items = (outcome.output as { listConversations: { items: { id: string; title: string; updatedAt: string }[] } }).listConversations.items;
    expect(items.map((item) => item.title)).toEqual(['Bo: trip to Lisbon', 'Bo: groceries']);
    expect(items.map((item) => item.id)).toEqual([...boConversations].reverse());
    for (const id of anaConversations) expect(textOf(outcome)).not.toContain(id);
    expect(textOf(outcome)).not.toContain('Ana:');
  });

  it('gives the other user their own', async () => {
    const outcome = await run('list_recent_conversations', {}, contextOf(ana));

    const items = (outcome.output as { listConversations: { items: { title: string }[] } }).listConversations.items;
    expect(items.map((item) => item.title)).toEqual(['Ana: test results', 'Ana: merger plans']);
  });

  it('passes the limit as the query\'s variable', async () => {
    const outcome = await run('list_recent_conversations', { limit: 1 }, contextOf(bo));

    expect(outcome.output).toEqual({ listConversations: { items: [{ id: boConversations[1], title: 'Bo: trip to Lisbon', updatedAt: expect.any(String) as unknown }] } });
  });
});

describe('get_usage run with a user\'s token', () => {
  it('gives that user\'s usage today and what remains of the quota', async () => {
    const outcome = await run('get_usage', {}, contextOf(bo));

    expect(outcome.isError).toBe(false);
    const usage = (outcome.output as { usage: { date: string; inputTokens: number; outputTokens: number; quota: number; remaining: number } }).usage;
    expect([day(0), day(1)]).toContain(usage.date);
    expect(usage).toMatchObject(SEEDED.bo);
    expect(usage.remaining).toBe(usage.quota - SEEDED.bo.inputTokens - SEEDED.bo.outputTokens);
  });
});

describe('a GraphQL tool that the API answers with an error', () => {
  it('gives the error type and message and no data when the id is another user\'s', async () => {
    const outcome = await run('list_messages', { conversationId: anaConversations[0] }, contextOf(bo));

    expect(outcome).toEqual({ output: { error: 'list_messages failed: NotFound: The conversation was not found.' }, isError: true });
  });
});

describe('a GraphQL tool run without a valid token', () => {
  /** Bo's token with its payload's sub replaced by Ana's: the signature no longer matches. */
  const tampered = (): string => {
    const [header, payload, signature] = bo.accessToken.split('.') as [string, string, string];
    const claims = { ...(JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>), sub: ana.sub };
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  };

  /** Bo's own claims, signed by the pool's own key, but expired a minute ago. */
  const expired = (): Promise<string> => {
    const { kid, privateJwk } = JSON.parse(readFileSync(join(dir, 'state', 'cognito-keys.json'), 'utf8')) as { kid: string; privateJwk: Record<string, unknown> };
    const claims = JSON.parse(Buffer.from(bo.accessToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, iat: now - 3660, exp: now - 60 }).setProtectedHeader({ alg: 'RS256', kid }).sign(createPrivateKey({ key: privateJwk as never, format: 'jwk' }));
  };

  it.each<[string, () => Promise<string | undefined>]>([
    ['a tampered token (Bo\'s, claiming Ana\'s sub)', () => Promise.resolve(tampered())],
    ['an expired token', expired],
    ['no token', () => Promise.resolve(undefined)],
  ])('refuses %s: an error, no data, and the token repeated nowhere', async (_name, tokenOf) => {
    const token = await tokenOf();
    const context: ToolContext = { ...contextOf(bo), userToken: token };

    const outcomes = [await run('list_recent_conversations', {}, context), await run('get_usage', {}, context)];

    for (const outcome of outcomes) {
      expect(outcome.isError).toBe(true);
      expect(Object.keys(outcome.output as object)).toEqual(['error']);
      if (token) expect(textOf(outcome)).not.toContain(token);
      for (const id of [...anaConversations, ...boConversations]) expect(textOf(outcome)).not.toContain(id);
    }
    if (token) expect((outcomes[0]?.output as { error: string }).error).toMatch(/^The API refused list_recent_conversations \(HTTP 401: UnauthorizedException: /);
  });

  it('never repeats a valid token either', async () => {
    const outcomes = [await run('list_recent_conversations', {}, contextOf(bo)), await run('get_usage', {}, contextOf(bo)), await run('list_messages', { conversationId: anaConversations[0] }, contextOf(bo))];

    for (const outcome of outcomes) expect(textOf(outcome)).not.toContain(bo.accessToken);
  });
});
