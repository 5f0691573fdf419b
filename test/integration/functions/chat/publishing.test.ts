// Publishing never holds up the model stream: with AppSync stalled, the stream still ends, and every event
// arrives afterwards, in order.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { eventually } from '../../../support/until.ts';
import { startChatHarness, type ChatHarness } from './harness.ts';

let h: ChatHarness;
let gate: { open(): void; held: number; server: http.Server; url: string };

/** A proxy in front of the sandbox's /graphql that holds every request until opened (Host kept, so SigV4 still holds). */
async function startGate(target: string): Promise<typeof gate> {
  const upstream = new URL(target);
  let release!: () => void;
  const opened = new Promise<void>((resolve) => { release = resolve; });
  const state = { held: 0 };
  const server = http.createServer((req, res) => {
    state.held += 1;
    void opened.then(() => {
      const forward = http.request({ hostname: upstream.hostname, port: upstream.port, path: upstream.pathname, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { open: release, get held() { return state.held; }, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

beforeAll(async () => {
  h = await startChatHarness({ FLUSH_MS: '20' });
  gate = await startGate(h.sandbox.urls.graphql);
}, 120_000);

afterAll(async () => {
  gate.server.closeAllConnections();
  await new Promise<void>((resolve) => gate.server.close(() => resolve()));
  await h.stop();
});

it('finishes reading the model stream while publishes are held, then delivers every event in order', async () => {
  const turn = await h.seedTurn({ content: 'Stream past a stalled API [[standin:tokens=300]]' });
  const events = await h.subscribe(turn.conversationId);
  process.env['GRAPHQL_URL'] = gate.url;
  const requests = h.standIn.stats().requests;

  const running = h.handler(turn);
  await eventually(() => Promise.resolve(h.standIn.stats().requests > requests ? true : undefined), 'the model stream to end');
  await eventually(async () => ((await h.read(turn.replyKey))['status'] === 'COMPLETE' ? true : undefined), 'the final write');
  const deliveredWhileHeld = events.events.length;
  gate.open();
  const summary = await running;
  process.env['GRAPHQL_URL'] = h.sandbox.urls.graphql;

  await events.waitFor((event) => event.type === 'DONE', 'DONE');
  expect(deliveredWhileHeld).toBe(0);
  expect(events.events.map((event) => event.seq)).toEqual(events.events.map((_, index) => index + 1));
  expect(events.deltas()).toBe((await h.read(turn.replyKey))['content']);
  expect(summary).toMatchObject({ status: 'COMPLETE', publishFailures: 0, publishes: events.events.length });
});

it('counts a publish AppSync refuses and still completes the reply', async () => {
  const turn = await h.seedTurn({ content: 'Publish into the void' });
  process.env['GRAPHQL_URL'] = `${h.sandbox.urls.base}/nowhere`;

  const summary = await h.handler(turn);
  process.env['GRAPHQL_URL'] = h.sandbox.urls.graphql;

  expect(summary.status).toBe('COMPLETE');
  expect(summary.publishFailures).toBeGreaterThan(0);
  expect(summary.publishes).toBe(0);
});
