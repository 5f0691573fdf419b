// The kit's real-time client against a scripted socket: the frames it sends, keep-alive, reconnecting with backoff and
// subscribing again, a token that expires, and each way a subscription fails. The sandbox run is
// test/integration/clients/kit/realtime.test.ts.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { base64UrlJson, realtimeUrlFor, RealtimeClient, type RealtimeClientOptions, type SubscriptionSink, type WebSocketConstructor, type WebSocketLike } from '../../../../clients/kit/index.ts';

interface Frame { type: string; id?: string; payload?: { data?: string; extensions?: { authorization?: Record<string, string> } } }

/** A socket the test plays the server of. */
class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Frame[] = [];
  closedWith: number | undefined;

  constructor(readonly url: string, readonly protocols: string[]) {
    FakeSocket.all.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Frame);
  }

  close(code?: number): void {
    this.closedWith ??= code;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  frame(frame: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }

  /** The ids of the start frames sent on this socket. */
  get starts(): string[] {
    return this.sent.filter((f) => f.type === 'start').map((f) => f.id ?? '');
  }
}

const flush = (ms = 0): Promise<void> => jest.advanceTimersByTimeAsync(ms);
const last = (): FakeSocket => FakeSocket.all.at(-1) as FakeSocket;

/** A sink recording what reaches it. */
function recorder(): SubscriptionSink & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    next: (payload) => seen.push(`next ${JSON.stringify(payload.data)}`),
    error: (error) => seen.push(`error ${error.errorType}`),
    complete: () => seen.push('complete'),
    interrupted: (reason) => seen.push(`interrupted ${reason}`),
    resumed: () => seen.push('resumed'),
  };
}

let tokens: string[];
function client(options: Partial<RealtimeClientOptions> = {}): RealtimeClient {
  return new RealtimeClient({
    graphqlUrl: 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql', token: () => tokens.shift() ?? 'token-last',
    WebSocket: FakeSocket satisfies WebSocketConstructor, backoff: { initialMs: 100, maxMs: 1_000 }, ...options,
  });
}

/** Opens the last socket and acknowledges the connection. */
async function accept(timeoutMs = 300_000): Promise<FakeSocket> {
  await flush();
  const socket = last();
  socket.open();
  socket.frame({ type: 'connection_ack', payload: { connectionTimeoutMs: timeoutMs } });
  await flush();
  return socket;
}

beforeEach(() => {
  jest.useFakeTimers();
  FakeSocket.all = [];
  tokens = ['token-1', 'token-2', 'token-3'];
});

afterEach(() => {
  jest.useRealTimers();
});

describe('a subscription', () => {
  it('connects with the auth subprotocol, starts with the current token, and receives data', async () => {
    const realtime = client();
    const sink = recorder();
    const subscription = realtime.subscribe({ query: 'subscription S { s }', variables: { a: 1 }, operationName: 'S' }, sink);
    const socket = await accept();

    const [start] = socket.sent.filter((f) => f.type === 'start');
    socket.frame({ type: 'start_ack', id: start?.id });
    socket.frame({ type: 'ka' });
    socket.frame({ type: 'data', id: start?.id, payload: { data: { s: 1 } } });
    socket.frame({ type: 'data', id: 'someone-else', payload: { data: { s: 2 } } });
    await subscription.ready;

    expect(socket.url).toBe('wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/graphql');
    expect(socket.protocols).toEqual(['graphql-ws', `header-${base64UrlJson({ Authorization: 'token-1', host: 'abc.appsync-api.eu-west-1.amazonaws.com' })}`]);
    expect(socket.sent[0]).toEqual({ type: 'connection_init' });
    expect(start?.payload?.extensions?.authorization).toEqual({ Authorization: 'token-2', host: 'abc.appsync-api.eu-west-1.amazonaws.com' });
    expect(JSON.parse(start?.payload?.data ?? '')).toEqual({ query: 'subscription S { s }', variables: { a: 1 }, operationName: 'S' });
    expect(sink.seen).toEqual(['next {"s":1}']);
  });

  it('sends stop when unsubscribed, and closes the socket once no subscription is left', async () => {
    const realtime = client();
    const subscription = realtime.subscribe({ query: 's' }, recorder());
    const socket = await accept();
    socket.frame({ type: 'start_ack', id: socket.starts[0] });

    subscription.unsubscribe();
    subscription.unsubscribe();

    expect(socket.sent.at(-1)).toEqual({ type: 'stop', id: socket.starts[0] });
    expect(socket.closedWith).toBe(1000);
  });

  it('completes on the server\'s complete, and every subscription on close()', async () => {
    const realtime = client();
    const first = recorder();
    const second = recorder();
    realtime.subscribe({ query: 'a' }, first);
    realtime.subscribe({ query: 'b' }, second);
    const socket = await accept();

    socket.frame({ type: 'complete', id: socket.starts[0] });
    realtime.close();

    expect([first.seen, second.seen]).toEqual([['complete'], ['complete']]);
    expect(socket.closedWith).toBe(1000);
  });

  it('fails with the server\'s error when the start is refused', async () => {
    const realtime = client();
    const sink = recorder();
    const subscription = realtime.subscribe({ query: 's' }, sink);
    const socket = await accept();

    socket.frame({ type: 'error', id: socket.starts[0], payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized' }] } });

    await expect(subscription.ready).rejects.toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized' });
    expect(sink.seen).toEqual(['error Unauthorized']);
  });

  it('fails when start_ack or connection_ack does not come in time', async () => {
    const noStartAck = client({ ackTimeoutMs: 1_000 });
    const late = recorder();
    noStartAck.subscribe({ query: 's' }, late);
    await accept();
    await flush(1_000);
    const noConnectionAck = client({ ackTimeoutMs: 1_000 });
    const silent = recorder();

    noConnectionAck.subscribe({ query: 's' }, silent);
    await flush();
    last().open();
    await flush(1_000);

    expect(late.seen).toEqual(['error StartAckTimeout']);
    expect(silent.seen).toEqual(['error ConnectionAckTimeout']);
  });

  it('fails without reconnecting when the first connection closes or is refused', async () => {
    const closing = client();
    const closed = recorder();
    closing.subscribe({ query: 's' }, closed);
    await flush();
    last().drop();
    const refusing = client();
    const refused = recorder();

    refusing.subscribe({ query: 's' }, refused);
    await flush();
    last().open();
    last().frame({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: 'bad token' }] } });
    await flush(60_000);

    expect(closed.seen).toEqual(['error ConnectionClosed']);
    expect(refused.seen).toEqual(['error UnauthorizedException']);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('says how to run without a global WebSocket', () => {
    const global = globalThis as { WebSocket?: unknown };
    const saved = global.WebSocket;
    delete global.WebSocket;
    try {
      expect(() => new RealtimeClient({ graphqlUrl: 'http://127.0.0.1:4000/graphql', token: () => 't' })).toThrow(/pass one/);
    } finally {
      global.WebSocket = saved;
    }
  });
});

describe('a connection lost after it was made', () => {
  it('reconnects with backoff when keep-alives stop, subscribes again with a fresh token, and says so', async () => {
    const statuses: string[] = [];
    const realtime = client({ onStatus: (status) => statuses.push(status) });
    const sink = recorder();
    realtime.subscribe({ query: 's' }, sink);
    const first = await accept(1_000);
    first.frame({ type: 'start_ack', id: first.starts[0] });

    await flush(1_000);
    await flush(100);
    const second = await accept();
    second.frame({ type: 'start_ack', id: second.starts[0] });
    second.frame({ type: 'data', id: second.starts[0], payload: { data: 'after' } });

    expect(sink.seen).toEqual(['interrupted no keep-alive for 1000 ms', 'resumed', 'next "after"']);
    expect(first.closedWith).toBe(1000);
    expect(second.starts).toEqual(first.starts);
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'reconnecting', 'open']);
  });

  it('backs off further after each failed attempt, and starts again from the first delay once connected', async () => {
    const realtime = client();
    realtime.subscribe({ query: 's' }, recorder());
    const first = await accept();
    first.frame({ type: 'start_ack', id: first.starts[0] });

    first.drop();
    await flush(100);
    last().drop();
    await flush(100);
    const afterOneDelay = FakeSocket.all.length;
    await flush(100);
    const second = await accept();

    expect(afterOneDelay).toBe(2);
    expect(FakeSocket.all).toHaveLength(3);
    expect(second.starts).toHaveLength(1);
  });

  it('subscribes again with a fresh token when the subscription\'s token expires', async () => {
    const realtime = client();
    const sink = recorder();
    realtime.subscribe({ query: 's' }, sink);
    const socket = await accept();
    const [id] = socket.starts;
    socket.frame({ type: 'start_ack', id });

    socket.frame({ type: 'error', id, payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] } });
    await flush();
    socket.frame({ type: 'start_ack', id });

    const restart = socket.sent.filter((f) => f.type === 'start').at(-1);
    expect(sink.seen).toEqual(['interrupted Token has expired.', 'resumed']);
    expect(restart?.payload?.extensions?.authorization?.['Authorization']).toBe('token-3');
  });

  it('fails every subscription when no token can be had to reconnect', async () => {
    const realtime = client({ token: () => (tokens.length > 0 ? (tokens.shift() as string) : Promise.reject(new Error('signed out'))) });
    const sink = recorder();
    realtime.subscribe({ query: 's' }, sink);
    const socket = await accept();
    socket.frame({ type: 'start_ack', id: socket.starts[0] });
    tokens = [];

    socket.drop();
    await flush(100);

    expect(sink.seen).toEqual(['interrupted the real-time connection closed (1006)', 'error TokenUnavailable']);
  });
});

describe('the real-time URL', () => {
  it('is AppSync\'s realtime host for an AppSync URL, and /realtime on any other', () => {
    expect(realtimeUrlFor('https://abc.appsync-api.eu-west-1.amazonaws.com/graphql')).toBe('wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/graphql');
    expect(realtimeUrlFor('https://api.example.com/graphql')).toBe('wss://api.example.com/graphql/realtime');
    expect(realtimeUrlFor('http://localhost:4000/graphql/')).toBe('ws://localhost:4000/graphql/realtime');
  });
});
