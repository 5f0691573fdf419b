// One client for AppSync's real-time endpoint (protocol.ts): one socket for any number of subscriptions, auth in the
// `header-` subprotocol and in every start, keep-alive timeout, and, once connected, reconnect with backoff and
// subscribe again. Sign-in agnostic: a token function is called for every connection and start, so a refreshed token
// is always the one sent. Uses the global WebSocket (browsers, Node 22) unless one is passed (Node 20 has none).
import type { TokenSource } from './graphql.ts';
import { DEFAULT_CONNECTION_TIMEOUT_MS, parseServerFrame, realtimeUrlFor, subprotocols, type ClientFrame, type ServerFrame, type WireError } from './protocol.ts';

/** What the client needs of a WebSocket: the browser's, Node 22's global one, or `ws`'s. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

const OPEN = 1;

export interface SubscriptionRequest { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }
export interface ExecutionPayload { data?: unknown; errors?: unknown[] }

export interface SubscriptionSink {
  next(payload: ExecutionPayload): void;
  /** The subscription is over: refused, or the connection cannot be made. */
  error(error: RealtimeError): void;
  complete(): void;
  /** The connection was lost (or the subscription's token expired): what is published until resumed() is missed. */
  interrupted?(reason: string): void;
  /** Subscribed again after an interruption: read what was missed (getMessage). */
  resumed?(): void;
}

export interface Subscription {
  /** Settles when AppSync answers the first start_ack (resolves) or refuses the start (rejects). */
  ready: Promise<void>;
  unsubscribe(): void;
}

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RealtimeClientOptions {
  graphqlUrl: string;
  /** Default: derived from graphqlUrl as AppSync does (realtimeUrlFor). */
  realtimeUrl?: string;
  token: TokenSource;
  WebSocket?: WebSocketConstructor;
  /** Reconnect delays: from initialMs (500), doubling, up to maxMs (30,000), each with jitter. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** How long connection_ack and start_ack may take ("Building a real-time WebSocket client in AWS AppSync": 15 s). */
  ackTimeoutMs?: number;
  onStatus?(status: ConnectionStatus, detail: string): void;
}

export class RealtimeError extends Error {
  override readonly name = 'RealtimeError';
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

interface Active {
  request: SubscriptionRequest;
  sink: SubscriptionSink;
  /** Acknowledged on the current connection. */
  acked: boolean;
  /** Acknowledged once: a later loss is an interruption, not a failure. */
  started: boolean;
  ackTimer?: ReturnType<typeof setTimeout>;
  resolve(): void;
  reject(error: RealtimeError): void;
}

const firstError = (errors: WireError[] | undefined, fallback: string): RealtimeError =>
  new RealtimeError(errors?.[0]?.errorType ?? fallback, errors?.[0]?.message ?? fallback);

let nextId = 0;

export class RealtimeClient {
  private readonly url: string;
  private readonly host: string;
  private readonly Socket: WebSocketConstructor;
  private readonly active = new Map<string, Active>();
  private socket: WebSocketLike | null = null;
  private connecting: Promise<WebSocketLike> | null = null;
  private connectionTimeoutMs = DEFAULT_CONNECTION_TIMEOUT_MS;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Reconnects since the last connection_ack; null until one connection was acknowledged (no reconnect before). */
  private attempts: number | null = null;

  constructor(private readonly options: RealtimeClientOptions) {
    this.url = options.realtimeUrl ?? realtimeUrlFor(options.graphqlUrl);
    this.host = new URL(options.graphqlUrl).host;
    const Socket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) throw new RealtimeError('WebSocketMissing', 'no global WebSocket (Node 20): pass one, e.g. the `ws` package\'s, as options.WebSocket');
    this.Socket = Socket;
  }

  subscribe(request: SubscriptionRequest, sink: SubscriptionSink): Subscription {
    nextId += 1;
    const id = `${nextId}-${crypto.randomUUID()}`;
    let settle: Pick<Active, 'resolve' | 'reject'> = { resolve: () => undefined, reject: () => undefined };
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // A refusal reaches the sink too; an unobserved `ready` must not be reported as unhandled.
    ready.catch(() => undefined);
    this.active.set(id, { request, sink, acked: false, started: false, ...settle });
    void this.start(id);
    return { ready, unsubscribe: () => this.stop(id) };
  }

  /** Closes the socket for good; every open subscription completes. */
  close(): void {
    for (const [id, sub] of this.active) {
      clearTimeout(sub.ackTimer);
      this.active.delete(id);
      sub.sink.complete();
    }
    this.disconnect();
  }

  private authorization = async (): Promise<Record<string, string>> => ({ Authorization: await this.options.token(), host: this.host });

  private async start(id: string): Promise<void> {
    try {
      const socket = await this.connection();
      const sub = this.active.get(id);
      if (!sub || sub.acked || socket !== this.socket) return;
      const { query, variables, operationName } = sub.request;
      const data = JSON.stringify({ query, variables: variables ?? {}, ...(operationName ? { operationName } : {}) });
      const ackTimeoutMs = this.options.ackTimeoutMs ?? 15_000;
      this.send(socket, { type: 'start', id, payload: { data, extensions: { authorization: await this.authorization() } } });
      clearTimeout(sub.ackTimer);
      sub.ackTimer = setTimeout(() => this.fail(id, new RealtimeError('StartAckTimeout', `no start_ack within ${ackTimeoutMs} ms`)), ackTimeoutMs);
    } catch (error) {
      // Before any connection was acknowledged, failing to connect ends the subscription; later, reconnect() retries.
      if (this.attempts === null) this.fail(id, error instanceof RealtimeError ? error : new RealtimeError('ConnectionFailed', String(error)));
    }
  }

  private stop(id: string): void {
    const sub = this.active.get(id);
    if (!sub) return;
    clearTimeout(sub.ackTimer);
    this.active.delete(id);
    if (sub.acked && this.socket?.readyState === OPEN) this.send(this.socket, { type: 'stop', id });
    if (this.active.size === 0) this.disconnect();
  }

  private fail(id: string, error: RealtimeError): void {
    const sub = this.active.get(id);
    if (!sub) return;
    clearTimeout(sub.ackTimer);
    this.active.delete(id);
    sub.reject(error);
    sub.sink.error(error);
    if (this.active.size === 0) this.disconnect();
  }

  /** The open, acknowledged socket, dialled on first use. */
  private connection(): Promise<WebSocketLike> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async connect(): Promise<WebSocketLike> {
    const authorization = await this.authorization();
    this.options.onStatus?.(this.attempts === null ? 'connecting' : 'reconnecting', this.url);
    const ackTimeoutMs = this.options.ackTimeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const socket = new this.Socket(this.url, subprotocols(authorization));
      this.socket = socket;
      const timer = setTimeout(() => this.lost(socket, new RealtimeError('ConnectionAckTimeout', `no connection_ack within ${ackTimeoutMs} ms`)), ackTimeoutMs);
      socket.onopen = () => this.send(socket, { type: 'connection_init' });
      socket.onerror = () => undefined; // onclose follows with the code
      socket.onclose = (event) => this.lost(socket, new RealtimeError('ConnectionClosed', `the real-time connection closed (${event.code}${event.reason ? ` ${event.reason}` : ''})`));
      socket.onmessage = (event) => {
        const frame = parseServerFrame(typeof event.data === 'string' ? event.data : String(event.data));
        if (frame?.type === 'connection_ack') {
          clearTimeout(timer);
          this.connectionTimeoutMs = frame.payload?.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
          this.attempts = 0;
          this.heard(socket);
          this.options.onStatus?.('open', this.url);
          resolve(socket);
        } else if (frame?.type === 'connection_error') {
          clearTimeout(timer);
          this.refused(socket, firstError(frame.payload?.errors, 'ConnectionError'));
        } else if (frame) {
          this.receive(socket, frame);
        }
      };
      this.onLost = (error) => {
        clearTimeout(timer);
        reject(error);
      };
    });
  }

  /** Rejects the connect() in progress, if any, when its socket is lost. */
  private onLost: (error: RealtimeError) => void = () => undefined;

  private receive(socket: WebSocketLike, frame: ServerFrame): void {
    this.heard(socket);
    if (frame.type === 'ka' || !('id' in frame) || frame.id === undefined) return;
    const sub = this.active.get(frame.id);
    if (!sub) return;
    switch (frame.type) {
      case 'start_ack':
        return this.acknowledged(sub);
      case 'data':
        return sub.sink.next(frame.payload);
      case 'error':
        return this.subscriptionError(frame.id, sub, firstError(frame.payload?.errors, 'SubscriptionError'));
      case 'complete':
        clearTimeout(sub.ackTimer);
        this.active.delete(frame.id);
        sub.sink.complete();
        if (this.active.size === 0) this.disconnect();
        return;
    }
  }

  private acknowledged(sub: Active): void {
    clearTimeout(sub.ackTimer);
    sub.acked = true;
    if (sub.started) return sub.sink.resumed?.();
    sub.started = true;
    sub.resolve();
  }

  /** A started subscription whose token expired is subscribed again with a fresh one; any other error ends it. */
  private subscriptionError(id: string, sub: Active, error: RealtimeError): void {
    if (!sub.acked || error.errorType !== 'UnauthorizedException') return this.fail(id, error);
    sub.acked = false;
    sub.sink.interrupted?.(error.message);
    void this.start(id);
  }

  /** connection_error: the token was refused; reconnecting with the same token function would be refused again. */
  private refused(socket: WebSocketLike, error: RealtimeError): void {
    this.detach(socket);
    this.onLost(error);
    for (const id of [...this.active.keys()]) this.fail(id, error);
    this.disconnect();
  }

  /** The socket closed, timed out or went silent: subscriptions are interrupted and the client reconnects. */
  private lost(socket: WebSocketLike, error: RealtimeError): void {
    if (socket !== this.socket) return;
    this.detach(socket);
    socket.close(1000);
    this.socket = null;
    this.connecting = null;
    this.onLost(error);
    this.onLost = () => undefined;
    if (this.attempts === null) {
      for (const id of [...this.active.keys()]) this.fail(id, error);
      return;
    }
    for (const sub of this.active.values()) {
      clearTimeout(sub.ackTimer);
      if (sub.acked) sub.sink.interrupted?.(error.message);
      sub.acked = false;
    }
    if (this.active.size > 0) this.reconnect();
  }

  private reconnect(): void {
    const attempt = this.attempts ?? 0;
    this.attempts = attempt + 1;
    const initial = this.options.backoff?.initialMs ?? 500;
    const ceiling = Math.min(this.options.backoff?.maxMs ?? 30_000, initial * 2 ** attempt);
    // Half fixed, half random: clients cut off together do not all come back at once.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.options.onStatus?.('reconnecting', `in ${Math.round(delay)} ms`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.resubscribe(), delay);
  }

  private resubscribe(): void {
    if (this.active.size === 0) return;
    // A failed dial closes its socket, and lost() schedules the next attempt; a token that cannot be had ends them all.
    this.connection().catch((error: unknown) => {
      if (error instanceof RealtimeError) return;
      const failure = new RealtimeError('TokenUnavailable', `no token to reconnect with: ${error instanceof Error ? error.message : String(error)}`);
      for (const id of [...this.active.keys()]) this.fail(id, failure);
    });
    for (const id of this.active.keys()) void this.start(id);
  }

  /** Any frame proves the connection alive; silence past connectionTimeoutMs (AppSync sends ka well within it) ends it. */
  private heard(socket: WebSocketLike): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.lost(socket, new RealtimeError('ConnectionTimeout', `no keep-alive for ${this.connectionTimeoutMs} ms`)), this.connectionTimeoutMs);
  }

  private detach(socket: WebSocketLike): void {
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.onerror = () => undefined; // `ws` throws an error event nobody listens to

    clearTimeout(this.silenceTimer);
  }

  private send(socket: WebSocketLike, frame: ClientFrame): void {
    if (socket.readyState === OPEN) socket.send(JSON.stringify(frame));
  }

  private disconnect(): void {
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    this.connecting = null;
    this.onLost = () => undefined;
    if (socket) {
      this.detach(socket);
      socket.close(1000);
    }
    if (this.attempts !== null || socket) this.options.onStatus?.('closed', this.url);
    this.attempts = null;
  }
}
