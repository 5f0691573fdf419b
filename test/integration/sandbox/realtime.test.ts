// The real-time endpoint through the sandbox: AppSync's protocol with a raw ws client (including
// every refusal), argument and enhanced filters, invalidation, stop, and ordering under load.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, iamGraphql, signedInUser, startTestSandbox, type TestSandbox } from './start.ts';
import { RawClient } from './ws-client.ts';

let t: TestSandbox;
let ana: { idToken: string; accessToken: string; sub: string };
let bo: { idToken: string; accessToken: string; sub: string };
const clients: RawClient[] = [];

beforeAll(async () => {
  t = await startTestSandbox({ keepAliveMs: 200 });
  ana = await signedInUser(t.sandbox, 'ana@example.com');
  bo = await signedInUser(t.sandbox, 'bo@example.com');
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await t?.stop();
});

function host(): string {
  return new URL(t.sandbox.urls.graphql).host;
}

async function connected(token: string, via: 'subprotocol' | 'query' = 'subprotocol'): Promise<RawClient> {
  const client = await RawClient.open(t.sandbox.urls.realtime, { Authorization: token, host: host() }, via);
  clients.push(client);
  const ack = await client.init();
  expect(ack.type).toBe('connection_ack');
  return client;
}

const ON_NOTE = 'subscription On($owner: String) { onNote(owner: $owner) { id owner text } }';
const ON_MY_NOTES = 'subscription Mine($min: Int) { onMyNotes(minPriority: $min) { text priority } }';
const SYSTEM_NOTE = 'mutation Sys($owner: String!, $text: String!, $priority: Int) { systemNote(owner: $owner, text: $text, priority: $priority) { id owner text priority } }';

describe('the real-time protocol', () => {
  it('acknowledges connection_init with connectionTimeoutMs and keeps the connection alive with ka', async () => {
    const client = await RawClient.open(t.sandbox.urls.realtime, { Authorization: ana.accessToken, host: host() });
    clients.push(client);

    const ack = await client.init();
    await client.waitFor((f) => f.type === 'ka', 'a first ka');
    const kas = client.frames.filter((f) => f.type === 'ka').length;
    await client.waitFor(() => client.frames.filter((f) => f.type === 'ka').length > kas, 'a later ka');

    expect(ack).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
  });

  it('delivers a mutation\'s result to a subscription, with only the fields it selected', async () => {
    const client = await connected(ana.accessToken);
    const ack = await client.start('s1', ON_NOTE, { owner: ana.sub }, { Authorization: ana.accessToken, host: host() });

    const created = await graphql(t.sandbox.urls.graphql, 'mutation { createNote(input: {text: "hello"}) { id owner text tags } }', {}, { authorization: ana.accessToken });
    const note = created.body.data?.createNote as { id: string };
    const data = await client.waitFor((f) => f.type === 'data' && f.id === 's1', 'data for s1');

    expect(ack).toEqual({ type: 'start_ack', id: 's1' });
    expect(data).toEqual({ type: 'data', id: 's1', payload: { data: { onNote: { id: note.id, owner: ana.sub, text: 'hello' } } } });
  });

  it('takes the auth header from ?header= as older clients and Apollo\'s link send it', async () => {
    const client = await connected(bo.accessToken, 'query');

    const ack = await client.start('q1', ON_NOTE, { owner: bo.sub }, { Authorization: bo.accessToken, host: host() });

    expect(ack.type).toBe('start_ack');
  });

  it('withholds events whose arguments do not match, and gives all to a subscription without arguments', async () => {
    const narrow = await connected(bo.accessToken);
    await narrow.start('narrow', ON_NOTE, { owner: bo.sub }, { Authorization: bo.accessToken, host: host() });
    const wide = await connected(bo.accessToken);
    await wide.start('wide', ON_NOTE, {}, { Authorization: bo.accessToken, host: host() });

    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: 'someone-else', text: 'not for bo' });
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: bo.sub, text: 'for bo' });
    await narrow.waitFor((f) => f.type === 'data', 'bo\'s note');
    await wide.waitFor(() => wide.data('wide').length === 2, 'both notes');

    expect(narrow.data('narrow').map((f) => (f.payload?.data as { onNote: { text: string } }).onNote.text)).toEqual(['for bo']);
  });

  it('applies the enhanced filter the subscription resolver set', async () => {
    const client = await connected(ana.accessToken);
    await client.start('mine', ON_MY_NOTES, { min: 3 }, { Authorization: ana.accessToken, host: host() });

    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: ana.sub, text: 'low', priority: 1 });
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: bo.sub, text: 'not mine', priority: 9 });
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: ana.sub, text: 'high', priority: 5 });
    await client.waitFor((f) => f.type === 'data', 'the high-priority note');

    expect(client.data('mine').map((f) => f.payload?.data)).toEqual([{ onMyNotes: { text: 'high', priority: 5 } }]);
  });

  it('ends subscriptions whose invalidation filter matches extensions.invalidateSubscriptions', async () => {
    const mine = await connected(ana.accessToken);
    await mine.start('inv', ON_MY_NOTES, {}, { Authorization: ana.accessToken, host: host() });
    const theirs = await connected(bo.accessToken);
    await theirs.start('keep', ON_MY_NOTES, {}, { Authorization: bo.accessToken, host: host() });

    await iamGraphql(t.sandbox, 'mutation Close($owner: String!) { closeNotes(owner: $owner) }', { owner: ana.sub });
    const complete = await mine.waitFor((f) => f.type === 'complete', 'complete after invalidation');
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: bo.sub, text: 'still here', priority: 1 });
    await theirs.waitFor((f) => f.type === 'data', 'bo still subscribed');

    expect(complete).toEqual({ type: 'complete', id: 'inv' });
  });

  it('answers stop with complete and delivers nothing after it', async () => {
    const client = await connected(ana.accessToken);
    await client.start('stopme', ON_NOTE, { owner: 'stop-test' }, { Authorization: ana.accessToken, host: host() });

    client.send({ type: 'stop', id: 'stopme' });
    await client.waitFor((f) => f.type === 'complete' && f.id === 'stopme', 'complete');
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: 'stop-test', text: 'too late' });
    const probe = await connected(ana.accessToken);
    await probe.start('probe', ON_NOTE, { owner: 'stop-test' }, { Authorization: ana.accessToken, host: host() });
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: 'stop-test', text: 'probe' });
    await probe.waitFor((f) => f.type === 'data', 'the probe event');

    expect(client.data('stopme')).toEqual([]);
  });
});

describe('the real-time protocol\'s refusals', () => {
  it('refuses a connection with a bad token: connection_error UnauthorizedException, then close', async () => {
    const client = await RawClient.open(t.sandbox.urls.realtime, { Authorization: 'not-a-jwt', host: host() });
    clients.push(client);

    const answer = await client.init();
    const closed = await client.closed;

    expect(answer).toEqual({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.', errorCode: 401 }] } });
    expect(closed.code).toBe(1000);
  });

  it('refuses a connection with no auth header', async () => {
    const client = await RawClient.open(t.sandbox.urls.realtime, null);
    clients.push(client);

    expect((await client.init()).type).toBe('connection_error');
  });

  it('answers an unknown message type with UnsupportedOperation', async () => {
    const client = await connected(ana.accessToken);

    client.send({ type: 'subscribe', id: 'x' });
    const error = await client.waitFor((f) => f.type === 'error', 'an error');

    expect(error).toEqual({ type: 'error', payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'subscribe not supported through the realtime channel' }] } });
  });

  it('answers a frame that is not JSON', async () => {
    const client = await connected(ana.accessToken);

    client.send('{nope');
    const error = await client.waitFor((f) => f.type === 'connection_error' || f.type === 'error', 'an error');

    expect(error.payload?.errors).toEqual([{ errorType: 'MalformedMessage', message: 'The message is not valid JSON.' }]);
  });

  it('refuses an oversize message with LimitExceededError', async () => {
    const client = await connected(ana.accessToken);

    client.send({ id: 'big', type: 'start', payload: { data: JSON.stringify({ query: ON_NOTE, variables: { owner: 'x'.repeat(140 * 1024) } }) } });
    const error = await client.waitFor((f) => f.type === 'error', 'an error');

    expect((error.payload?.errors as { errorType: string }[])[0]?.errorType).toBe('LimitExceededError');
  });

  it('refuses start on a field the resolver calls util.unauthorized for', async () => {
    const client = await connected(ana.accessToken);

    const answer = await client.start('nope', 'subscription { onForbidden { id } }', {}, { Authorization: ana.accessToken, host: host() });

    expect(answer).toEqual({ type: 'error', id: 'nope', payload: { errors: [{ errorType: 'Unauthorized', message: 'Unauthorized' }] } });
  });

  it('refuses start with an auth mode the subscription field does not allow', async () => {
    const key = t.sandbox.template.api?.apiKeys[0]?.id ?? '';
    const client = await RawClient.open(t.sandbox.urls.realtime, { 'x-api-key': key, host: host() });
    clients.push(client);
    await client.init();

    const answer = await client.start('key', ON_NOTE, {}, { 'x-api-key': key, host: host() });

    expect(answer.payload?.errors).toEqual([{ errorType: 'Unauthorized', message: 'Not Authorized to access onNote on type Subscription' }]);
  });

  it('refuses start with an expired or bad per-operation token', async () => {
    const client = await connected(ana.accessToken);

    const answer = await client.start('bad', ON_NOTE, {}, { Authorization: 'bad-token', host: host() });

    expect(answer.payload?.errors).toEqual([{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }]);
  });

  it('refuses a query that is not a subscription', async () => {
    const client = await connected(ana.accessToken);

    const answer = await client.start('q', 'query { echo(message: "x") { message } }', {}, { Authorization: ana.accessToken, host: host() });

    expect(answer.payload?.errors).toEqual([{ errorType: 'UnsupportedOperation', message: 'Only one subscription operation can be started per start message.' }]);
  });

  it('refuses start before connection_init', async () => {
    const client = await RawClient.open(t.sandbox.urls.realtime, { Authorization: ana.accessToken, host: host() });
    clients.push(client);

    const answer = await client.start('early', ON_NOTE, {}, { Authorization: ana.accessToken, host: host() });

    expect(answer.type).toBe('error');
  });

  it('refuses a second start with an id already in use', async () => {
    const client = await connected(ana.accessToken);
    await client.start('dup', ON_NOTE, {}, { Authorization: ana.accessToken, host: host() });

    client.send({ id: 'dup', type: 'start', payload: { data: JSON.stringify({ query: ON_NOTE }), extensions: { authorization: { Authorization: ana.accessToken, host: host() } } } });
    const error = await client.waitFor((f) => f.type === 'error' && f.id === 'dup', 'a duplicate error');

    expect((error.payload?.errors as { errorType: string }[])[0]?.errorType).toBe('DuplicatedOperationError');
  });

  it('is served over wss with the sandbox\'s certificate on the same port', async () => {
    const ca = readFileSync(t.sandbox.certificatePath, 'utf8');
    const client = await RawClient.open(t.sandbox.urls.realtimeWss, { Authorization: ana.accessToken, host: host() }, 'subprotocol', ca);
    clients.push(client);

    expect((await client.init()).type).toBe('connection_ack');
  });
});

describe('fan-out under load', () => {
  it('delivers 1,000 events to 50 subscribers with none lost, duplicated or reordered', async () => {
    const owner = 'load-test';
    const subscribers = await Promise.all(Array.from({ length: 50 }, () => connected(ana.accessToken)));
    await Promise.all(subscribers.map((c, i) => c.start(`load${i}`, ON_NOTE, { owner }, { Authorization: ana.accessToken, host: host() })));

    for (let n = 0; n < 1000; n += 1) {
      const answer = await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner, text: String(n) });
      expect(answer.body.errors).toBeUndefined();
    }
    await Promise.all(subscribers.map((c, i) => c.waitFor(() => c.data(`load${i}`).length >= 1000, `1000 events on subscriber ${i}`, 60_000)));

    const expected = Array.from({ length: 1000 }, (_, n) => String(n));
    for (const [i, c] of subscribers.entries()) {
      expect(c.data(`load${i}`).map((f) => (f.payload?.data as { onNote: { text: string } }).onNote.text)).toEqual(expected);
    }
  }, 180_000);
});
