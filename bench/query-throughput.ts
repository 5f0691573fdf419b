// Resolver query throughput: listMessages through the sandbox (Cognito auth, the APPSYNC_JS pipeline, DynamoDB
// Local) vs the same Query sent straight to DynamoDB Local, each loaded by autocannon from its own process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { messagesPk } from '../resolvers/keys.ts';
import { api } from '../test/e2e/product.ts';
import type { Bench, Row } from './results.ts';
import { ROOT, TSX, type Chat, type Rig } from './rig.ts';
import { median, round } from './stats.ts';

const TURNS = 10;
const PAGE = 20;
const SECONDS = 5;
const CONNECTIONS = 10;
const LIST = 'query L($c: ID!, $limit: Int) { listMessages(conversationId: $c, limit: $limit) { items { id role content status seq createdAt } nextToken } }';

interface Load { rps: number; total: number; ok: number; non2xx: number; errors: number; p50: number; p99: number }

async function load(options: { url: string; headers: Record<string, string>; body: string }): Promise<Load> {
  const input = JSON.stringify({ ...options, method: 'POST', connections: CONNECTIONS, duration: SECONDS });
  const { stdout } = await promisify(execFile)(TSX, [join(ROOT, 'bench/load.ts'), input], { cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout) as Load;
}

/** A conversation of TURNS short turns (2 * TURNS messages), written by the product itself. */
async function seed(rig: Rig): Promise<Chat> {
  const chat = await rig.chat(await rig.newUser('query'), 'history');
  for (let turn = 0; turn < TURNS; turn += 1) await rig.reply(chat, `[[standin:tokens=30]] message ${turn}`);
  chat.subscriber.close();
  return chat;
}

async function directRequest(rig: Rig, sub: string, conversationId: string): Promise<{ url: string; headers: Record<string, string>; body: string }> {
  const { sandbox } = rig;
  const url = new URL(sandbox.dynamodb.endpoint);
  // The Query the listMessages pipeline sends (resolvers/steps/queryMessages.ts).
  const body = JSON.stringify({
    TableName: rig.tableName, Limit: PAGE, ScanIndexForward: false, KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' }, ExpressionAttributeValues: { ':pk': { S: messagesPk(sub, conversationId) }, ':sk': { S: 'MSG#' } },
  });
  const signer = new SignatureV4({ credentials: rig.iamCredentials, region: sandbox.template.region, service: 'dynamodb', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', query: {}, body,
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Query' },
  });
  return { url: url.href, headers: signed.headers, body };
}

export const queryThroughput: Bench = {
  name: 'query-throughput',
  metric: 'listMessages through the sandbox vs the same Query straight to DynamoDB Local (req/s ratio)',
  goal: '>= 0.5',
  async run(context): Promise<Row[]> {
    const rig = await context.rig();
    context.progress(`seeding a conversation of ${2 * TURNS} messages through sendMessage`);
    const { who, conversationId } = await seed(rig);
    const token = who.accessToken;
    const answer = await api(rig.sandbox, who)(LIST, { c: conversationId, limit: PAGE });
    const items = (answer.body.data?.listMessages as { items: unknown[] } | undefined)?.items.length ?? 0;
    if (items !== 2 * TURNS) throw new Error(`listMessages answered ${items} items: ${JSON.stringify(answer.body).slice(0, 300)}`);
    const viaSandbox = { url: rig.sandbox.urls.graphql, headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query: LIST, variables: { c: conversationId, limit: PAGE } }) };
    const direct = await directRequest(rig, who.sub, conversationId);
    const runs = { sandbox: [] as Load[], direct: [] as Load[] };
    for (let pass = 1; pass <= 2; pass += 1) {
      context.progress(`pass ${pass} of 2: ${SECONDS} s through the sandbox, then ${SECONDS} s straight to DynamoDB Local, ${CONNECTIONS} connections`);
      runs.sandbox.push(await load(viaSandbox));
      runs.direct.push(await load(direct));
    }
    const ours = median(runs.sandbox.map((r) => r.rps));
    const theirs = median(runs.direct.map((r) => r.rps));
    const ratio = ours / theirs;
    const failed = [...runs.sandbox, ...runs.direct].reduce((sum, r) => sum + r.non2xx + r.errors, 0);
    return [{
      bench: 'query-throughput', metric: this.metric,
      value: `${round(ours)} vs ${round(theirs)} req/s: ${round(ratio, 2)}`,
      goal: this.goal, meets: failed === 0 ? ratio >= 0.5 : null,
      details: { pageSize: PAGE, connections: CONNECTIONS, seconds: SECONDS, failedRequests: failed, sandbox: runs.sandbox, direct: runs.direct },
    }];
  },
};
