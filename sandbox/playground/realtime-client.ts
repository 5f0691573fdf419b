/// <reference lib="dom" />
// A browser client for AppSync's real-time endpoint (sandbox/appsync/realtime/PROTOCOL.md): one socket, auth in the
// `header-<base64url>` subprotocol, then connection_init, start (with extensions.authorization), data, stop.
import { MessageType, type ClientMessage, type ServerMessage, type WireError } from '../appsync/realtime/protocol.ts';

/** The user-pool header object AppSync reads: the raw access (or id) token and the GraphQL URL's host. */
export interface RealtimeAuthorization { Authorization: string; host: string }

export interface SubscriptionRequest { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }

export interface ExecutionPayload { data?: unknown; errors?: unknown[] }

export interface SubscriptionSink {
  next(payload: ExecutionPayload): void;
  error(error: RealtimeError): void;
  complete(): void;
}

export interface Subscription {
  /** Settles when AppSync answers start_ack (resolves) or refuses the start (rejects). */
  ready: Promise<void>;
  unsubscribe(): void;
}

export class RealtimeError extends Error {
  override readonly name = 'RealtimeError';
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

interface Active { request: SubscriptionRequest; sink: SubscriptionSink; ackTimer?: ReturnType<typeof setTimeout>; resolve(): void; reject(error: RealtimeError): void }

// "Building a real-time WebSocket client in AWS AppSync": start_ack and connection_ack come within 15 s.
const ACK_TIMEOUT_MS = 15_000;

/** JSON as base64url without padding, as the `header-` subprotocol carries it. */
export function base64UrlJson(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const firstError = (errors: WireError[] | undefined, fallback: string): RealtimeError =>
  new RealtimeError(errors?.[0]?.errorType ?? fallback, errors?.[0]?.message ?? fallback);

export class RealtimeClient {
  private socket: WebSocket | null = null;
  private readonly active = new Map<string, Active>();
  private connectionTimeoutMs = 300_000;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;

  /** `authorize` is called for every connection and start, so a refreshed token is always used. */
  constructor(private readonly url: string, private readonly authorize: () => Promise<RealtimeAuthorization>) {}

  subscribe(request: SubscriptionRequest, sink: SubscriptionSink): Subscription {
    const id = crypto.randomUUID();
    let settle: Pick<Active, 'resolve' | 'reject'> = { resolve: () => undefined, reject: () => undefined };
    const ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // A refusal reaches the sink too; keep an unobserved `ready` from being reported as unhandled.
    ready.catch(() => undefined);
    this.active.set(id, { request, sink, ...settle });
    void this.start(id);
    return { ready, unsubscribe: () => this.stop(id) };
  }

  /** Closes the socket; every open subscription completes. */
  close(): void {
    for (const [id, sub] of this.active) {
      clearTimeout(sub.ackTimer);
      this.active.delete(id);
      sub.sink.complete();
    }
    this.disconnect();
  }

  private async start(id: string): Promise<void> {
    try {
      const socket = await this.connection();
      const sub = this.active.get(id);
      if (!sub) return;
      const authorization = await this.authorize();
      const data = JSON.stringify({ query: sub.request.query, variables: sub.request.variables ?? {}, ...(sub.request.operationName ? { operationName: sub.request.operationName } : {}) });
      this.send(socket, { type: MessageType.Start, id, payload: { data, extensions: { authorization: { ...authorization } } } });
      sub.ackTimer = setTimeout(() => this.fail(id, new RealtimeError('StartAckTimeout', `no start_ack within ${ACK_TIMEOUT_MS} ms`)), ACK_TIMEOUT_MS);
    } catch (error) {
      this.fail(id, error instanceof RealtimeError ? error : new RealtimeError('ConnectionFailed', String(error)));
    }
  }

  private stop(id: string): void {
    clearTimeout(this.active.get(id)?.ackTimer);
    if (!this.active.delete(id)) return;
    if (this.socket?.readyState === WebSocket.OPEN) this.send(this.socket, { type: MessageType.Stop, id });
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

  private connecting: Promise<WebSocket> | null = null;

  /** The open, acknowledged socket, dialled on first use. */
  private connection(): Promise<WebSocket> {
    this.connecting ??= this.connect().catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async connect(): Promise<WebSocket> {
    const header = base64UrlJson(await this.authorize());
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url, ['graphql-ws', `header-${header}`]);
      this.socket = socket;
      const timer = setTimeout(() => reject(new RealtimeError('ConnectionAckTimeout', `no connection_ack within ${ACK_TIMEOUT_MS} ms`)), ACK_TIMEOUT_MS);
      socket.onopen = () => this.send(socket, { type: MessageType.ConnectionInit });
      socket.onmessage = (event: MessageEvent<string>) => {
        const message = JSON.parse(event.data) as ServerMessage;
        if (message.type === MessageType.ConnectionAck) {
          clearTimeout(timer);
          this.connectionTimeoutMs = message.payload.connectionTimeoutMs;
          this.heard();
          resolve(socket);
        } else if (message.type === MessageType.ConnectionError) {
          clearTimeout(timer);
          reject(firstError(message.payload.errors, 'ConnectionError'));
        } else {
          this.receive(message);
        }
      };
      socket.onclose = (event) => {
        clearTimeout(timer);
        reject(new RealtimeError('ConnectionClosed', `the socket closed (${event.code}) before connection_ack`));
        if (this.socket !== socket) return;
        this.socket = null;
        this.connecting = null;
        clearTimeout(this.silenceTimer);
        for (const id of [...this.active.keys()]) this.fail(id, new RealtimeError('ConnectionClosed', `the socket closed (${event.code} ${event.reason})`));
      };
    });
  }

  private receive(message: ServerMessage): void {
    if (message.type === MessageType.KeepAlive) return this.heard();
    if (!('id' in message) || message.id === undefined) return;
    const sub = this.active.get(message.id);
    if (!sub) return;
    switch (message.type) {
      case MessageType.StartAck:
        clearTimeout(sub.ackTimer);
        sub.resolve();
        return;
      case MessageType.Data:
        this.heard();
        sub.sink.next(message.payload);
        return;
      case MessageType.Error:
        this.fail(message.id, firstError(message.payload.errors, 'SubscriptionError'));
        return;
      case MessageType.Complete:
        clearTimeout(sub.ackTimer);
        this.active.delete(message.id);
        sub.sink.complete();
        if (this.active.size === 0) this.disconnect();
        return;
    }
  }

  /** Only ka and data prove the connection alive; silence past connectionTimeoutMs ends it. */
  private heard(): void {
    clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.socket?.close(4000, 'connection timeout'), this.connectionTimeoutMs);
  }

  private send(socket: WebSocket, message: ClientMessage): void {
    socket.send(JSON.stringify(message));
  }

  private disconnect(): void {
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    this.connecting = null;
    socket?.close(1000);
  }
}
