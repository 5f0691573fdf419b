// The real-time endpoint when tokens expire, with a raw ws client and short-lived tokens the sandbox's pool code
// issues (expiring-token.ts). AWS documents no message for it: what is asserted is the sandbox's reading
// (sandbox/appsync/realtime/PROTOCOL.md, "When a token expires").
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expiringUser } from './expiring-token.ts';
import { iamGraphql, signedInUser, startTestSandbox, type TestSandbox } from './start.ts';
import { RawClient } from './ws-client.ts';

let t: TestSandbox;
let ana: { accessToken: string; sub: string };
const clients: RawClient[] = [];

beforeAll(async () => {
  t = await startTestSandbox();
  ana = await signedInUser(t.sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await t?.stop();
});

const ON_NOTE = 'subscription On($owner: String) { onNote(owner: $owner) { id owner text } }';
const SYSTEM_NOTE = 'mutation Sys($owner: String!, $text: String!) { systemNote(owner: $owner, text: $text) { id owner text } }';
const EXPIRED = { errorType: 'UnauthorizedException', message: 'Token has expired.' };

function auth(token: string): Record<string, string> {
  return { Authorization: token, host: new URL(t.sandbox.urls.graphql).host };
}

async function connected(token: string): Promise<RawClient> {
  const client = await RawClient.open(t.sandbox.urls.realtime, auth(token));
  clients.push(client);
  expect((await client.init()).type).toBe('connection_ack');
  return client;
}

/** The socket's close, or an error naming what was awaited. */
function closeOf(client: RawClient, timeoutMs = 15_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for the server to close the connection; frames: ${JSON.stringify(client.frames)}`)), timeoutMs);
    void client.closed.then((closed) => {
      clearTimeout(timer);
      resolve(closed);
    });
  });
}

describe('token expiry on the real-time endpoint (the sandbox\'s reading)', () => {
  it('closes a connection when its token expires, after an UnauthorizedException "Token has expired." error on each subscription', async () => {
    const short = await expiringUser(t.sandbox, join(t.dir, 'state'), 'short@example.com', 3);
    const client = await connected(short.accessToken);
    await client.start('mine', ON_NOTE, { owner: short.sub }, auth(short.accessToken));

    const closed = await closeOf(client);

    expect(client.frames.filter((f) => f.type === 'error')).toEqual([{ type: 'error', id: 'mine', payload: { errors: [EXPIRED] } }]);
    expect(closed).toEqual({ code: 1000, reason: 'Token has expired.' });
  });

  it('ends a subscription when the token of its start message expires, and keeps the connection and its other subscriptions', async () => {
    const short = await expiringUser(t.sandbox, join(t.dir, 'state'), 'brief@example.com', 3);
    const client = await connected(ana.accessToken);
    await client.start('brief', ON_NOTE, { owner: 'expiry-test' }, auth(short.accessToken));
    await client.start('lasting', ON_NOTE, { owner: 'expiry-test' }, auth(ana.accessToken));

    const ended = await client.waitFor((f) => f.type === 'error' && f.id === 'brief', 'the brief subscription to end', 15_000);
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: 'expiry-test', text: 'after the expiry' });
    await client.waitFor((f) => f.type === 'data' && f.id === 'lasting', 'the lasting subscription\'s event');

    expect(ended).toEqual({ type: 'error', id: 'brief', payload: { errors: [EXPIRED] } });
    expect(client.data('brief')).toEqual([]);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });
});
