// The real-time protocol core: messages in, messages out, no transport. A connection is a small
// state machine (init -> ack -> start/stop); the hub fans published mutations out to subscriptions.
import type { AuthResult, Caller } from '../auth.ts';
import type { ExecuteOutcome, GraphqlEngine } from '../graphql.ts';
import type { Logger } from '../../log.ts';
import { TOKEN_EXPIRED, whenExpired } from './expiry.ts';
import { filterMatches, type SubscriptionFilter } from './filter.ts';
import { LIMITS, MessageType, parseClientMessage, type ServerMessage, type WireError } from './protocol.ts';
import { delivers, prepareSubscription, project, subscribersByMutation, type ActiveSubscription } from './subscriptions.ts';

export interface RealtimeOptions {
  engine: GraphqlEngine;
  /** Authenticates a header JSON (connection or per-operation), with the path and body it signs. */
  authenticate(headers: Record<string, string>, path: string, body: string): Promise<AuthResult>;
  log: Logger;
  keepAliveMs?: number;
  limits?: Partial<typeof LIMITS>;
}

export interface Transport {
  /** The auth header JSON from the handshake (subprotocol or ?header=), or null if none was sent. */
  headers: Record<string, string> | null;
  /** Sends one message, already serialized: a data message is serialized once, for its size check and the socket. */
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Ends the socket without a close frame, as a network cut does. */
  drop(): void;
}

/** Picks callers by their identity (a Cognito user's `sub` and token claims): whose connections a test ends. */
export type CallerTest = (caller: Caller) => boolean;

interface Entry { connection: RealtimeConnection; id: string; subscription: ActiveSubscription }

export class RealtimeHub {
  readonly limits: typeof LIMITS;
  private readonly connections = new Set<RealtimeConnection>();
  private readonly byField = new Map<string, Map<string, Entry>>();
  private readonly fedBy: Map<string, string[]>;

  constructor(readonly options: RealtimeOptions) {
    this.limits = { ...LIMITS, ...options.limits };
    this.fedBy = subscribersByMutation(options.engine);
  }

  connect(transport: Transport): RealtimeConnection {
    const connection = new RealtimeConnection(this, transport);
    this.connections.add(connection);
    return connection;
  }

  stats(): { connections: number; subscriptions: number } {
    let subscriptions = 0;
    for (const entries of this.byField.values()) subscriptions += entries.size;
    return { connections: this.connections.size, subscriptions };
  }

  /** After a mutation: deliver its result to matching subscriptions, in publish order; run invalidations. */
  publish(outcome: ExecuteOutcome): void {
    for (const mutation of outcome.mutations) {
      for (const fieldName of this.fedBy.get(mutation.fieldName) ?? []) {
        for (const entry of [...(this.byField.get(fieldName)?.values() ?? [])]) {
          if (delivers(entry.subscription, mutation)) entry.connection.deliver(entry.id, project(this.options.engine, entry.subscription, mutation.value));
        }
      }
      for (const instance of mutation.instances) {
        for (const invalidation of instance.state.invalidations) this.invalidate(invalidation.subscriptionField, invalidation.payload);
      }
    }
  }

  /** extensions.invalidateSubscriptions ends subscriptions whose invalidation filter matches ("Unsubscribing WebSocket connections using filters in AWS AppSync"). */
  invalidate(fieldName: string, payload: Record<string, unknown>): void {
    for (const entry of [...(this.byField.get(fieldName)?.values() ?? [])]) {
      const filter: SubscriptionFilter | null = entry.subscription.invalidationFilter;
      if (filter && filterMatches(filter, payload)) {
        this.options.log.info(`subscription ${entry.id} on ${fieldName} invalidated`);
        entry.connection.end(entry.id);
      }
    }
  }

  add(connection: RealtimeConnection, id: string, subscription: ActiveSubscription): void {
    const entries = this.byField.get(subscription.fieldName) ?? new Map<string, Entry>();
    entries.set(connection.key(id), { connection, id, subscription });
    this.byField.set(subscription.fieldName, entries);
  }

  remove(connection: RealtimeConnection, id: string, fieldName: string): void {
    this.byField.get(fieldName)?.delete(connection.key(id));
  }

  dropped(connection: RealtimeConnection): void {
    this.connections.delete(connection);
  }

  /**
   * Ends now, as their token's expiry would, the connections whose token `test` picks and the subscriptions started
   * with such a token (a test's expireTokens, sandbox/admin/).
   */
  expireWhere(test: CallerTest): { connections: number; subscriptions: number } {
    const ended = { connections: 0, subscriptions: 0 };
    for (const connection of [...this.connections]) {
      const { connections, subscriptions } = connection.expireWhere(test);
      ended.connections += connections;
      ended.subscriptions += subscriptions;
    }
    return ended;
  }

  /** Drops the connections whose caller `test` picks, as a network cut would: no close frame; clients reconnect. */
  dropWhere(test: CallerTest): number {
    return [...this.connections].filter((connection) => connection.dropIf(test)).length;
  }

  /** Closes every connection (sandbox shutdown). */
  close(): void {
    for (const connection of [...this.connections]) connection.shutdown(1001, 'sandbox stopping');
  }
}

let nextConnection = 0;

export class RealtimeConnection {
  private readonly number = (nextConnection += 1);
  private caller: Caller | null = null;
  private acknowledged = false;
  private readonly subscriptions = new Map<string, string>();
  /** Cancels the timer set for when the connection's token expires. */
  private connectionExpiry: (() => void) | null = null;
  /** Cancels the timers set for when a subscription's own token (its start message's) expires, by id. */
  private readonly expiries = new Map<string, () => void>();
  /** The callers of the subscriptions started with a token of their own, by id. */
  private readonly ownCallers = new Map<string, Caller>();
  private keepAlive: NodeJS.Timeout | null = null;
  private queue: Promise<void> = Promise.resolve();
  private open = true;

  constructor(private readonly hub: RealtimeHub, private readonly transport: Transport) {}

  key(id: string): string {
    return `${this.number}:${id}`;
  }

  /** Handles one frame; frames are processed in arrival order, even when a start awaits its resolver. */
  receive(text: string): Promise<void> {
    this.queue = this.queue.then(() => this.handle(text));
    return this.queue;
  }

  private send(message: ServerMessage): void {
    if (this.open) this.transport.send(JSON.stringify(message));
  }

  private async handle(text: string): Promise<void> {
    if (!this.open) return;
    if (Buffer.byteLength(text) > this.hub.limits.maxMessageBytes) {
      this.send({ type: MessageType.Error, payload: { errors: [{ errorType: 'LimitExceededError', message: `Message size exceeds the ${this.hub.limits.maxMessageBytes} bytes limit` }] } });
      return;
    }
    const parsed = parseClientMessage(text);
    if ('error' in parsed) {
      this.send(parsed.error);
      return;
    }
    const { message } = parsed;
    switch (message.type) {
      case MessageType.ConnectionInit:
        return this.init();
      case MessageType.Start:
        return this.start(message.id, message.payload.data, message.payload.extensions?.authorization ?? null);
      case MessageType.Stop:
        this.end(message.id);
        return;
    }
  }

  private async init(): Promise<void> {
    const headers = this.transport.headers;
    const auth = headers ? await this.hub.options.authenticate(headers, '/graphql/connect', '{}') : null;
    if (!auth?.ok) {
      const message = auth ? auth.message : 'Valid authorization header not provided.';
      this.send({ type: MessageType.ConnectionError, payload: { errors: [{ errorType: 'UnauthorizedException', message, errorCode: 401 }] } });
      this.hub.options.log.warn(`real-time connection refused: ${message}`);
      this.shutdown(1000, 'unauthorized');
      return;
    }
    this.caller = auth.caller;
    this.acknowledged = true;
    this.send({ type: MessageType.ConnectionAck, payload: { connectionTimeoutMs: this.hub.limits.connectionTimeoutMs } });
    this.send({ type: MessageType.KeepAlive });
    this.keepAlive = setInterval(() => this.send({ type: MessageType.KeepAlive }), this.hub.options.keepAliveMs ?? 30_000);
    this.keepAlive.unref();
    this.connectionExpiry?.();
    this.connectionExpiry = whenExpired(auth.caller, () => this.expire());
    this.hub.options.log.info(`real-time connection ${this.number} open (${auth.caller.mode})`);
  }

  /**
   * The connection's token expired: each subscription ends with an UnauthorizedException error, then the socket
   * closes. AWS documents no message for this; it is the sandbox's reading (PROTOCOL.md, "When a token expires").
   */
  private expire(): void {
    this.hub.options.log.info(`real-time connection ${this.number} closed: its token expired`);
    for (const id of [...this.subscriptions.keys()]) this.end(id, TOKEN_EXPIRED);
    this.shutdown(1000, TOKEN_EXPIRED.message);
  }

  /** A start message's own token expired: that subscription ends with the error, the connection stays (the sandbox's reading). */
  private expireSubscription(id: string): void {
    this.hub.options.log.info(`subscription ${id} on real-time connection ${this.number} ended: its token expired`);
    this.end(id, TOKEN_EXPIRED);
  }

  private refuse(id: string, error: WireError): void {
    this.send({ type: MessageType.Error, id, payload: { errors: [error] } });
  }

  private async start(id: string, data: string, authorization: Record<string, string> | null): Promise<void> {
    if (!this.acknowledged || !this.caller) return this.refuse(id, { errorType: 'UnauthorizedException', message: 'Send connection_init and wait for connection_ack before start.' });
    if (this.subscriptions.has(id)) return this.refuse(id, { errorType: 'DuplicatedOperationError', message: `Operation id ${id} is already in use on this connection.` });
    if (this.subscriptions.size >= this.hub.limits.subscriptionsPerConnection) {
      return this.refuse(id, { errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${this.hub.limits.subscriptionsPerConnection} subscriptions reached` });
    }
    let caller = this.caller;
    if (authorization) {
      const auth = await this.hub.options.authenticate(authorization, '/graphql', data);
      if (!auth.ok) return this.refuse(id, { errorType: 'UnauthorizedException', message: auth.message });
      caller = auth.caller;
    }
    const prepared = await prepareSubscription(this.hub.options.engine, data, caller, authorization ?? this.transport.headers ?? {});
    if (!prepared.ok) {
      this.hub.options.log.warn(`subscription ${id} refused: ${prepared.error.errorType}: ${prepared.error.message}`);
      return this.refuse(id, prepared.error);
    }
    if (!this.open) return;
    this.subscriptions.set(id, prepared.subscription.fieldName);
    this.hub.add(this, id, prepared.subscription);
    // A start message's own token bounds its subscription; without one, the connection's token does.
    const expiry = authorization ? whenExpired(caller, () => this.expireSubscription(id)) : null;
    if (expiry) this.expiries.set(id, expiry);
    if (authorization) this.ownCallers.set(id, caller);
    this.send({ type: MessageType.StartAck, id });
    this.hub.options.log.info(`subscription ${prepared.subscription.fieldName} started (${caller.mode})`);
  }

  deliver(id: string, payload: { data: unknown; errors?: unknown[] }): void {
    const message: ServerMessage = { type: MessageType.Data, id, payload };
    const text = JSON.stringify(message);
    // A UTF-16 unit is at most 3 bytes of UTF-8: only a long text needs counting.
    if (text.length * 3 > this.hub.limits.maxPayloadBytes && Buffer.byteLength(text) > this.hub.limits.maxPayloadBytes) {
      this.refuse(id, { errorType: 'LimitExceededError', message: `Subscription payload exceeds the ${this.hub.limits.maxPayloadBytes} bytes limit and was not delivered.` });
      return;
    }
    if (this.open) this.transport.send(text);
  }

  /** stop, or an invalidation: the subscription ends with complete; an expired token ends it with that error. */
  end(id: string, error?: WireError): void {
    const fieldName = this.subscriptions.get(id);
    if (fieldName === undefined) return;
    this.subscriptions.delete(id);
    this.expiries.get(id)?.();
    this.expiries.delete(id);
    this.ownCallers.delete(id);
    this.hub.remove(this, id, fieldName);
    if (error) this.refuse(id, error);
    else this.send({ type: MessageType.Complete, id });
  }

  /** The transport closed: forget every subscription of this connection. */
  closed(): void {
    if (!this.open) return;
    this.open = false;
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.connectionExpiry?.();
    for (const cancel of this.expiries.values()) cancel();
    this.expiries.clear();
    this.ownCallers.clear();
    for (const [id, fieldName] of this.subscriptions) this.hub.remove(this, id, fieldName);
    this.subscriptions.clear();
    this.hub.dropped(this);
  }

  /** Expires now what `test` picks: the whole connection if its own token, else the subscriptions started with one. */
  expireWhere(test: CallerTest): { connections: number; subscriptions: number } {
    if (!this.open) return { connections: 0, subscriptions: 0 };
    if (this.caller && test(this.caller)) {
      const subscriptions = this.subscriptions.size;
      this.expire();
      return { connections: 1, subscriptions };
    }
    const picked = [...this.ownCallers].filter(([, caller]) => test(caller)).map(([id]) => id);
    for (const id of picked) this.expireSubscription(id);
    return { connections: 0, subscriptions: picked.length };
  }

  /** Drops the socket if `test` picks the connection's caller; true when it did. */
  dropIf(test: CallerTest): boolean {
    if (!this.open || !this.caller || !test(this.caller)) return false;
    this.hub.options.log.info(`real-time connection ${this.number} dropped (a test cut it)`);
    this.transport.drop();
    this.closed();
    return true;
  }

  shutdown(code: number, reason: string): void {
    this.transport.close(code, reason);
    this.closed();
  }
}
