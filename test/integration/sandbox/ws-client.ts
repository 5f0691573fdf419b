// A raw AppSync real-time client for the tests: every frame recorded, waits on frames with a timeout.
import WebSocket from 'ws';

export interface Frame { type: string; id?: string; payload?: Record<string, unknown> }

export class RawClient {
  readonly frames: Frame[] = [];
  private waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.test(frame) ? (w.resolve(frame), false) : true));
    });
    this.closed = new Promise((resolve) => socket.on('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens a socket with the auth header JSON in the `header-` subprotocol (Amplify v6) or in `?header=` (Apollo's link <= 3.1.3). */
  static open(url: string, header: Record<string, string> | null, via: 'subprotocol' | 'query' = 'subprotocol', ca?: string): Promise<RawClient> {
    const json = header ? JSON.stringify(header) : null;
    const protocols = ['graphql-ws'];
    let target = url;
    if (json && via === 'subprotocol') protocols.push(`header-${Buffer.from(json).toString('base64url')}`);
    if (json && via === 'query') target = `${url}?header=${encodeURIComponent(Buffer.from(json).toString('base64'))}&payload=e30=`;
    const socket = new WebSocket(target, protocols, ca ? { ca } : {});
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first frame (already received or next) that passes `test`, or a timeout error saying what was awaited. */
  waitFor(test: (f: Frame) => boolean, what: string, timeoutMs = 10_000): Promise<Frame> {
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; frames: ${JSON.stringify(this.frames).slice(0, 500)}`)), timeoutMs);
      this.waiters.push({ test, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  }

  async init(): Promise<Frame> {
    this.send({ type: 'connection_init' });
    return this.waitFor((f) => f.type === 'connection_ack' || f.type === 'connection_error', 'connection_ack');
  }

  async start(id: string, query: string, variables: Record<string, unknown>, authorization: Record<string, string>): Promise<Frame> {
    this.send({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } } });
    return this.waitFor((f) => f.id === id && (f.type === 'start_ack' || f.type === 'error'), `start_ack for ${id}`);
  }

  data(id: string): Frame[] {
    return this.frames.filter((f) => f.type === 'data' && f.id === id);
  }

  close(): void {
    this.socket.close();
  }
}
