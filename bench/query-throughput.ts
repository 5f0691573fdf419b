// Resolver query throughput: listMessages through the sandbox (Cognito auth, the APPSYNC_JS pipeline, DynamoDB
// Local) vs the same Query sent straight to DynamoDB Local, and vs the floor: a minimal server doing only what any
// server must for listMessages (list-floor-server.ts). Each is loaded by autocannon from its own process.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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
/** A load of each side before the measured passes, not counted: the first load of a server runs its code cold. */
const WARM_SECONDS = 3;
const CONNECTIONS = 10;
const LIST = 'query L($c: ID!, $limit: Int) { listMessages(conversationId: $c, limit: $limit) { items { id role content status seq createdAt } nextToken } }';

interface Target { url: string; headers: Record<string, string>; body: string }
interface Load { rps: number; total: number; ok: number; non2xx: number; errors: number; p50: number; p99: number; cpuMsPerRequest?: number | null }

async function load(options: Target, seconds = SECONDS): Promise<Load> {
  const input = JSON.stringify({ ...options, method: 'POST', connections: CONNECTIONS, duration: seconds });
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

/** CPU time (user + system, ms) of another process so far, from /proc (Linux); null where it can't be read. */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A stopwatch of CPU time (user + system, ms) of this process (null) or another: ms spent since it was made. */
function cpuClock(pid: number | null): () => number | null {
  if (pid === null) {
    const start = process.cpuUsage();
    return () => {
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
  }
  const start = processCpuMs(pid);
  return () => {
    const now = processCpuMs(pid);
    return now === null || start === null ? null : now - start;
  };
}

/**
 * `load`, and for a server the CPU it spent per request during the load, a figure the machine's other work disturbs
 * less than req/s: `pid` null is this process (the sandbox), undefined none (DynamoDB Local's JVM is not measured).
 */
async function loadWithCpu(target: Target, pid: number | null | undefined): Promise<Load> {
  if (pid === undefined) return load(target);
  const spent = cpuClock(pid);
  const result = await load(target);
  const ms = spent();
  return { ...result, cpuMsPerRequest: ms === null || result.total === 0 ? null : round(ms / result.total, 2) };
}

/** The floor server in its own process, with the sandbox's table, keys and user pool; its URL and pid once it listens. */
async function startFloor(rig: Rig): Promise<{ url: string; pid: number; process: ChildProcess }> {
  const [pool] = [...rig.sandbox.userPools.values()];
  if (!pool) throw new Error('the product template has no user pool');
  const options = {
    endpoint: rig.sandbox.dynamodb.endpoint, region: rig.sandbox.template.region, credentials: rig.iamCredentials, tableName: rig.tableName,
    jwks: pool.jwks(), issuer: pool.issuer, clientIds: pool.clientIds,
  };
  const child = spawn(TSX, [join(ROOT, 'bench/list-floor-server.ts'), JSON.stringify(options)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await Promise.race([
    once(child.stdout, 'data') as Promise<[Buffer]>,
    once(child, 'exit').then(([code]) => { throw new Error(`the floor server exited (${String(code)}) before it listened`); }),
  ]);
  const { url, pid } = JSON.parse(line.toString('utf8')) as { url: string; pid: number };
  return { url, pid, process: child };
}

/** One request of a side, answered before the load: its status and how many items it holds. */
async function itemsOf(target: Target, read: (body: unknown) => unknown[] | undefined): Promise<number> {
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const body = await response.json() as unknown;
  if (!response.ok) throw new Error(`${target.url} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return read(body)?.length ?? 0;
}

async function directRequest(rig: Rig, sub: string, conversationId: string): Promise<Target> {
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
  // Restated against the floor measured beside it (bench/README.md, "listMessages: the floor"): no server reaches 0.5 of
  // DynamoDB Local's rate on this machine, so the sandbox must reach half of what a minimal server does.
  goal: '>= half the floor server\'s ratio (same run)',
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
    const floor = await startFloor(rig);
    try {
      const viaFloor = { ...viaSandbox, url: floor.url };
      const listed = (body: unknown): unknown[] | undefined => (body as { data?: { listMessages?: { items?: unknown[] } } }).data?.listMessages?.items;
      const counts = { floor: await itemsOf(viaFloor, listed), direct: await itemsOf(direct, (body) => (body as { Items?: unknown[] }).Items) };
      if (counts.floor !== 2 * TURNS || counts.direct !== 2 * TURNS) throw new Error(`the floor answered ${counts.floor} items, DynamoDB Local ${counts.direct}`);
      const runs = { sandbox: [] as Load[], floor: [] as Load[], direct: [] as Load[] };
      // The order turns round between passes, so no side is always the one that runs after another's load.
      const orders = [['sandbox', 'floor', 'direct'], ['direct', 'floor', 'sandbox']] as const;
      const targets = { sandbox: viaSandbox, floor: viaFloor, direct };
      context.progress(`warming up: ${WARM_SECONDS} s each, not counted`);
      const warmUp = [await load(viaSandbox, WARM_SECONDS), await load(viaFloor, WARM_SECONDS), await load(direct, WARM_SECONDS)];
      for (const [pass, order] of orders.entries()) {
        context.progress(`pass ${pass + 1} of ${orders.length}: ${SECONDS} s each ${order.join(', then ')}, ${CONNECTIONS} connections`);
        for (const side of order) runs[side].push(await loadWithCpu(targets[side], side === 'sandbox' ? null : side === 'floor' ? floor.pid : undefined));
      }
      const rps = { sandbox: median(runs.sandbox.map((r) => r.rps)), floor: median(runs.floor.map((r) => r.rps)), direct: median(runs.direct.map((r) => r.rps)) };
      const failed = [...warmUp, ...runs.sandbox, ...runs.floor, ...runs.direct].reduce((sum, r) => sum + r.non2xx + r.errors, 0);
      const measured = (value: boolean): boolean | null => (failed === 0 ? value : null);
      const details = { pageSize: PAGE, connections: CONNECTIONS, seconds: SECONDS, warmUpSeconds: WARM_SECONDS, failedRequests: failed, rps, ...runs };
      const cpuOf = (loads: Load[]): number => round(median(loads.map((r) => r.cpuMsPerRequest ?? Number.NaN)), 2);
      const ratio = (a: number, b: number): string => `${round(a)} vs ${round(b)} req/s: ${round(a / b, 2)}`;
      return [
        { bench: 'query-throughput', metric: this.metric, value: ratio(rps.sandbox, rps.direct),
          goal: `>= ${round(rps.floor / rps.direct / 2, 2)}: half the floor's ${round(rps.floor / rps.direct, 2)} (0.5 is above the floor)`, meets: measured(rps.sandbox / rps.floor >= 0.5), details },
        {
          bench: 'query-throughput', metric: 'listMessages floor (JWT check, GetItem, Query, JSON in a minimal server) vs the same Query straight to DynamoDB Local: the ceiling of the row above',
          value: ratio(rps.floor, rps.direct), goal: 'none (what this machine allows)', meets: null,
        },
        {
          bench: 'query-throughput', metric: 'listMessages through the sandbox vs the floor server (req/s ratio)',
          value: `${ratio(rps.sandbox, rps.floor)} (CPU per request: sandbox ${cpuOf(runs.sandbox)} ms, floor ${cpuOf(runs.floor)} ms)`,
          goal: '>= 0.5', meets: measured(rps.sandbox / rps.floor >= 0.5),
        },
      ];
    } finally {
      floor.process.kill();
    }
  },
};
