// One onReplyEvent subscription over AppSync's real-time WebSocket protocol ("Building a real-time WebSocket
// client in AWS AppSync"): connection_init, connection_ack, start, start_ack, data, ka, stop.
import WebSocket from 'ws';
import { GraphqlError, UnreachableError, networkCode } from './failure.ts';

export type { ReplyEvent } from '../client-types.ts';
import type { ReplyEvent } from '../client-types.ts';

interface Frame { type: string; id?: string; payload?: { connectionTimeoutMs?: number; data?: { onReplyEvent?: ReplyEvent }; errors?: { message?: string; errorType?: string }[] } }

export interface SubscriptionTarget { realtimeUrl: string; graphqlUrl: string; token: string; conversationId: string }

const ON_REPLY = 'subscription R($c: ID!) { onReplyEvent(conversationId: $c) { conversationId messageId seq type text title status stopReason error } }';
const ID = 'reply';

export class ReplySubscription {
  private keepAlive: NodeJS.Timeout | undefined;
  private timeoutMs = 300_000;
  private closing = false;

  private constructor(private readonly socket: WebSocket, private readonly onEvent: (e: ReplyEvent) => void, private readonly onLost: (reason: string) => void) {}

  /** Connects and subscribes; resolves once AppSync acknowledged the subscription. */
  static open(target: SubscriptionTarget, onEvent: (e: ReplyEvent) => void, onLost: (reason: string) => void): Promise<ReplySubscription> {
    const authorization = { Authorization: target.token, host: new URL(target.graphqlUrl).host };
    const header = Buffer.from(JSON.stringify(authorization)).toString('base64url');
    const socket = new WebSocket(target.realtimeUrl, ['graphql-ws', `header-${header}`]);
    const subscription = new ReplySubscription(socket, onEvent, onLost);
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        socket.terminate();
        reject(error);
      };
      socket.once('error', (error) => fail(networkCode(error) ? new UnreachableError(target.realtimeUrl, networkCode(error) ?? '') : error));
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8')) as Frame;
        if (frame.type === 'connection_ack') {
          subscription.timeoutMs = frame.payload?.connectionTimeoutMs ?? subscription.timeoutMs;
          subscription.armKeepAlive();
          socket.send(JSON.stringify({ id: ID, type: 'start', payload: { data: JSON.stringify({ query: ON_REPLY, variables: { c: target.conversationId } }), extensions: { authorization } } }));
        } else if (frame.type === 'start_ack') {
          socket.removeAllListeners('error');
          socket.on('error', () => undefined);
          socket.on('close', () => subscription.lost('the real-time connection closed'));
          resolve(subscription);
        } else if (frame.type === 'connection_error' || frame.type === 'error') {
          const [first] = frame.payload?.errors ?? [];
          fail(new GraphqlError(`the subscription was refused: ${first?.message ?? 'no reason given'}`, first?.errorType ?? ''));
        } else {
          subscription.receive(frame);
        }
      });
    });
  }

  private receive(frame: Frame): void {
    if (frame.type === 'ka') this.armKeepAlive();
    const event = frame.payload?.data?.onReplyEvent;
    if (frame.type === 'data' && frame.id === ID && event) this.onEvent(event);
  }

  /** AppSync sends ka at least every connectionTimeoutMs; silence past it means the connection is gone. */
  private armKeepAlive(): void {
    clearTimeout(this.keepAlive);
    this.keepAlive = setTimeout(() => {
      this.socket.terminate();
      this.lost('no keep-alive from the real-time endpoint');
    }, this.timeoutMs);
    this.keepAlive.unref();
  }

  private lost(reason: string): void {
    clearTimeout(this.keepAlive);
    if (this.closing) return;
    this.closing = true;
    this.onLost(reason);
  }

  close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.keepAlive);
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'stop', id: ID }));
      this.socket.close();
    });
  }
}
