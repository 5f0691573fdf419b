// The product's own AppSync limits (infra/api.ts), served by the sandbox as AppSync enforces them: one request can
// run only so many resolvers, however many aliases it sends; every query the product's clients send still runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, conversation, startProduct, user, type Product, type User } from './product.ts';
import { productTemplate } from '../support/product-template.ts';

let p: Product;
let ana: User;
let bo: User;
let limit: number;

beforeAll(async () => {
  p = await startProduct();
  ana = await user(p.sandbox, 'ana@example.com');
  bo = await user(p.sandbox, 'bo@example.com');
  limit = await templateResolverCountLimit();
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

/** The API's ResolverCountLimit as infra/ synthesized it; AppSync's default, 10,000, when it sets none. */
async function templateResolverCountLimit(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'limits-'));
  const { cdkOut, stackName } = await productTemplate(dir);
  const template = JSON.parse(readFileSync(join(cdkOut, `${stackName}.template.json`), 'utf8')) as { Resources: Record<string, { Type: string; Properties: { ResolverCountLimit?: number } }> };
  rmSync(dir, { recursive: true, force: true });
  const graphqlApi = Object.values(template.Resources).find((r) => r.Type === 'AWS::AppSync::GraphQLApi');
  return graphqlApi?.Properties.ResolverCountLimit ?? 10_000;
}

const aliases = (count: number, field: (alias: string) => string): string => Array.from({ length: count }, (_, n) => field(`a${n}`)).join(' ');

async function conversationCount(who: User): Promise<number> {
  let count = 0;
  let next: string | null = null;
  do {
    const answer = await api(p.sandbox, who)('query L($next: String) { listConversations(limit: 100, nextToken: $next) { items { id } nextToken } }', { next });
    const page = answer.body.data?.listConversations as { items: unknown[]; nextToken: string | null };
    count += page.items.length;
    next = page.nextToken;
  } while (next !== null);
  return count;
}

describe('the resolver count limit', () => {
  it('is well under 1,000 and above what any client sends in one request', () => {
    expect(limit).toBeGreaterThanOrEqual(5);
    expect(limit).toBeLessThan(1000);
  });

  // listConversations and createConversation are non-null: the first refused one takes the whole of data with it
  // (GraphQL's null propagation), and graphql-js stops at it, so it is the one error reported.
  it('runs only the first resolvers of 1,000 aliased listConversations and refuses the next one', async () => {
    const query = `query { ${aliases(1000, (a) => `${a}: listConversations(limit: 1) { items { id } }`)} }`;

    const answer = await api(p.sandbox, ana)(query);

    expect(answer.body.data).toBeNull();
    expect(answer.body.errors?.map((e) => [e.path, e.errorType])).toEqual([[[`a${limit}`], 'ResolverExecutionLimitReached']]);
  });

  it('creates only as many conversations as the limit from 500 aliased createConversation', async () => {
    const mutation = `mutation { ${aliases(500, (a) => `${a}: createConversation(input: { title: "${a}" }) { id }`)} }`;

    const answer = await api(p.sandbox, bo)(mutation);

    expect(answer.body.errors?.map((e) => [e.path, e.errorType])).toEqual([[[`a${limit}`], 'ResolverExecutionLimitReached']]);
    expect(await conversationCount(bo)).toBe(limit);
  });

  it('still answers the deepest query the product\'s clients send', async () => {
    const c = await conversation(p.sandbox, ana);
    const deepest = 'query Q($c: ID!) { listMessages(conversationId: $c) { items { id usage { inputTokens outputTokens } } nextToken } getConversation(id: $c) { id } }';

    const answer = await api(p.sandbox, ana)(deepest, { c });

    expect(answer.body).toEqual({ data: { listMessages: { items: [], nextToken: null }, getConversation: { id: c } } });
  });
});
