// AppSync's real-time protocol as a client speaks it ("Building a real-time WebSocket client in AWS AppSync"; the
// sandbox's server side and its reading of what AWS leaves undocumented: sandbox/appsync/realtime/PROTOCOL.md).

export const SUBPROTOCOL = 'graphql-ws';

export interface WireError { errorType?: string; message?: string; errorCode?: number }

/** The frames a client sends. */
export type ClientFrame =
  | { type: 'connection_init' }
  | { type: 'start'; id: string; payload: { data: string; extensions: { authorization: Record<string, string> } } }
  | { type: 'stop'; id: string };

/** The frames a server sends; a field a frame may lack is optional. */
export type ServerFrame =
  | { type: 'connection_ack'; payload?: { connectionTimeoutMs?: number } }
  | { type: 'connection_error'; payload?: { errors?: WireError[] } }
  | { type: 'ka' }
  | { type: 'start_ack'; id: string }
  | { type: 'data'; id: string; payload: { data?: unknown; errors?: unknown[] } }
  | { type: 'error'; id?: string; payload?: { errors?: WireError[] } }
  | { type: 'complete'; id: string };

/** How long AppSync may stay silent before a client treats the connection as gone, unless connection_ack says. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 300_000;

/** JSON as base64url without padding, as the `header-` subprotocol carries it (no Buffer: browsers too). */
export function base64UrlJson(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The two subprotocols of a connection: `graphql-ws` and the auth header object. */
export function subprotocols(authorization: Record<string, string>): string[] {
  return [SUBPROTOCOL, `header-${base64UrlJson(authorization)}`];
}

/**
 * AppSync's real-time endpoint for a GraphQL URL ("Building a real-time WebSocket client in AWS AppSync"): the
 * appsync-api host becomes appsync-realtime-api over wss; any other host (a custom domain, the sandbox) serves it at
 * the GraphQL path plus /realtime, over ws for http and wss for https.
 */
export function realtimeUrlFor(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  if (url.hostname.includes('.appsync-api.')) return `wss://${url.host.replace('.appsync-api.', '.appsync-realtime-api.')}${url.pathname}`;
  const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${url.host}${url.pathname.replace(/\/$/, '')}/realtime`;
}

/** A frame from the server, or null when it is not JSON with a type. */
export function parseServerFrame(text: string): ServerFrame | null {
  try {
    const value = JSON.parse(text) as { type?: unknown } | null;
    return typeof value?.type === 'string' ? (value as ServerFrame) : null;
  } catch {
    return null;
  }
}
