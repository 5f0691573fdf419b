// The ws adapter of the real-time core: upgrades on <graphql path>/realtime, takes the auth header
// from the `header-<base64url>` subprotocol (Amplify v6) or `?header=` (older clients, Apollo's link).
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RealtimeHub } from './core.ts';

export const REALTIME_PATH = '/graphql/realtime';
const SUBPROTOCOL = 'graphql-ws';

/** The header JSON a client sent with the handshake, or null. */
export function handshakeHeaders(req: IncomingMessage): Record<string, string> | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const fromProtocol = offered.find((p) => p.startsWith('header-'))?.slice('header-'.length);
  const fromQuery = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('header');
  const encoded = fromProtocol ?? fromQuery;
  if (!encoded) return null;
  try {
    const value = JSON.parse(Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), String(v)]));
  } catch {
    return null;
  }
}

/** Serves the real-time endpoint on `server`'s upgrades. */
export function attachRealtime(server: Server, hub: RealtimeHub): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false) });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (path !== REALTIME_PATH || !offered.includes(SUBPROTOCOL)) {
      const reason = path !== REALTIME_PATH ? `no WebSocket endpoint at ${path}; use ${REALTIME_PATH}` : `the ${SUBPROTOCOL} subprotocol is required`;
      socket.end(`HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const connection = hub.connect({
        headers: handshakeHeaders(req),
        send: (text) => ws.send(text),
        close: (code, reason) => ws.close(code, reason),
        drop: () => ws.terminate(),
      });
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        void connection.receive(isBinary ? data.toString('utf8') : data.toString('utf8'));
      });
      ws.on('close', () => connection.closed());
      ws.on('error', () => connection.closed());
    });
  };
  server.on('upgrade', onUpgrade);
  return {
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
