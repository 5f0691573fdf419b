// AppSync's per-request limits, read from the template's QueryDepthLimit and ResolverCountLimit and enforced as
// "Configuring GraphQL run complexity, query depth, and introspection with AWS AppSync" describes: a field past the
// depth limit and every resolver past the count limit fail with their errorType, and a resolver that is refused
// never runs (a refused mutation writes nothing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync';
import { SandboxTestStack } from '../../../fixtures/api/stack.ts';
import { startSandbox, type Sandbox } from '../../../../sandbox/sandbox.ts';
import { memorySink } from '../../../../sandbox/log.ts';
import { graphql, signedInUser } from '../start.ts';
import { fixtureApp } from '../../../support/fixture-app.ts';
import { sharedTestParts } from '../../../support/sandbox-options.ts';

const LIMITS = { queryDepthLimit: 2, resolverCountLimit: 3 };

let sandbox: Sandbox;
let dir: string;
let user: { accessToken: string; sub: string };

/** The test template with the API's limits set on the GraphQL API resource, as infra/api.ts sets them. */
async function startWithLimits(): Promise<Sandbox> {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-limits-'));
  const app = fixtureApp(join(dir, 'cdk.out'));
  const stack = new SandboxTestStack(app, 'SandboxTestStack');
  const api = stack.node.findAll().find((c): c is CfnGraphQLApi => c instanceof CfnGraphQLApi);
  if (!api) throw new Error('the test stack has no GraphQL API');
  Object.assign(api, LIMITS);
  app.synth();
  return startSandbox({ cdkOut: join(dir, 'cdk.out'), stackName: stack.stackName, stateDir: join(dir, 'state'), logSink: memorySink(), ...sharedTestParts() });
}

beforeAll(async () => {
  sandbox = await startWithLimits();
  user = await signedInUser(sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const as = (token: string): Record<string, string> => ({ authorization: token });
const CREATE = (alias: string, text: string): string => `${alias}: createNote(input: { text: "${text}" }) { id }`;

async function notesOf(sub: string): Promise<string[]> {
  const table = sandbox.template.tables[0]?.tableName ?? '';
  const { Items = [] } = await sandbox.dynamodb.client.send(new QueryCommand({
    TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `USER#${sub}` } }, ConsistentRead: true,
  }));
  return Items.map((item) => item['text']?.S ?? '');
}

describe('the API limits in the model', () => {
  it('reads QueryDepthLimit and ResolverCountLimit from the template', () => {
    expect(sandbox.api.api.limits).toEqual({ queryDepth: 2, resolverCount: 3 });
  });
});

describe('the resolver count limit', () => {
  it('runs the first resolvers up to the limit and refuses each one after it with ResolverExecutionLimitReached', async () => {
    const query = `query { ${['a', 'b', 'c', 'd', 'e'].map((alias) => `${alias}: getNote(id: "none") { id }`).join(' ')} }`;

    const answer = await graphql(sandbox.urls.graphql, query, {}, as(user.accessToken));

    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ a: null, b: null, c: null, d: null, e: null });
    expect(answer.body.errors?.map((e) => [e.path, e.errorType])).toEqual([[['d'], 'ResolverExecutionLimitReached'], [['e'], 'ResolverExecutionLimitReached']]);
    expect(answer.body.errors?.[0]).toEqual({
      path: ['d'], data: null, errorType: 'ResolverExecutionLimitReached', errorInfo: null,
      locations: [{ line: 1, column: expect.any(Number), sourceName: null }], message: expect.stringContaining('3'),
    });
  });

  it('writes nothing for a mutation field past the limit: five aliased creates make three notes', async () => {
    const writer = await signedInUser(sandbox, 'writer@example.com');
    const mutation = `mutation { ${['m1', 'm2', 'm3', 'm4', 'm5'].map((alias) => CREATE(alias, alias)).join(' ')} }`;

    const answer = await graphql(sandbox.urls.graphql, mutation, {}, as(writer.accessToken));

    expect(Object.entries(answer.body.data ?? {}).filter(([, value]) => value !== null).map(([alias]) => alias)).toEqual(['m1', 'm2', 'm3']);
    expect(answer.body.errors?.map((e) => [e.path, e.errorType])).toEqual([[['m4'], 'ResolverExecutionLimitReached'], [['m5'], 'ResolverExecutionLimitReached']]);
    expect((await notesOf(writer.sub)).sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('counts per request: the next request runs its resolvers again', async () => {
    const answer = await graphql(sandbox.urls.graphql, 'query { a: getNote(id: "x") { id } b: getNote(id: "y") { id } }', {}, as(user.accessToken));

    expect(answer.body).toEqual({ data: { a: null, b: null } });
  });
});

describe('the query depth limit', () => {
  it('answers fields within the limit', async () => {
    const answer = await graphql(sandbox.urls.graphql, 'query { echo(message: "hi") { message } }', {}, as(user.accessToken));

    expect(answer.body).toEqual({ data: { echo: { message: 'hi' } } });
  });

  it('fails a field past the limit with QueryDepthLimitReached, up to its first nullable parent', async () => {
    const reader = await signedInUser(sandbox, 'reader@example.com');
    await graphql(sandbox.urls.graphql, `mutation { ${CREATE('n', 'deep')} }`, {}, as(reader.accessToken));

    const answer = await graphql(sandbox.urls.graphql, 'query { listNotes { items { text } } }', {}, as(reader.accessToken));

    expect(answer.body.data).toEqual({ listNotes: null });
    expect(answer.body.errors).toEqual([{
      path: ['listNotes', 'items', 0, 'text'], data: null, errorType: 'QueryDepthLimitReached', errorInfo: null,
      locations: [{ line: 1, column: 29, sourceName: null }], message: expect.stringContaining('2'),
    }]);
  });
});
