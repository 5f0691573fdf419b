// AppSync's real-time protocol over WebSocket (subprotocol `graphql-ws`): the message kinds and
// shapes of "Building a real-time WebSocket client in AWS AppSync". See PROTOCOL.md.

export enum MessageType {
  ConnectionInit = 'connection_init',
  ConnectionAck = 'connection_ack',
  ConnectionError = 'connection_error',
  KeepAlive = 'ka',
  Start = 'start',
  StartAck = 'start_ack',
  Data = 'data',
  Error = 'error',
  Stop = 'stop',
  Complete = 'complete',
}

export interface WireError { errorType: string; message: string; errorCode?: number }

export type ClientMessage =
  | { type: MessageType.ConnectionInit; payload?: unknown }
  | { type: MessageType.Start; id: string; payload: { data: string; extensions?: { authorization?: Record<string, string> } } }
  | { type: MessageType.Stop; id: string };

export type ServerMessage =
  | { type: MessageType.ConnectionAck; payload: { connectionTimeoutMs: number } }
  | { type: MessageType.ConnectionError; payload: { errors: WireError[] } }
  | { type: MessageType.KeepAlive }
  | { type: MessageType.StartAck; id: string }
  | { type: MessageType.Data; id: string; payload: { data: unknown; errors?: unknown[] } }
  | { type: MessageType.Error; id?: string; payload: { errors: WireError[] } }
  | { type: MessageType.Complete; id: string };

/** Limits, as AppSync's quotas state them (see PROTOCOL.md for what is documented). */
export const LIMITS = {
  /** Inbound WebSocket message size. */
  maxMessageBytes: 128 * 1024,
  /** A published payload larger than this is not delivered. */
  maxPayloadBytes: 240 * 1024,
  subscriptionsPerConnection: 100,
  connectionTimeoutMs: 300_000,
};

/** Parses one client frame; a frame that is not a known message answers with the error to send. */
export function parseClientMessage(text: string): { message: ClientMessage } | { error: ServerMessage } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: { type: MessageType.ConnectionError, payload: { errors: [{ errorType: 'MalformedMessage', message: 'The message is not valid JSON.' }] } } };
  }
  const message = value as { type?: unknown; id?: unknown; payload?: unknown } | null;
  const type = message?.type;
  if (type === MessageType.ConnectionInit) return { message: { type, payload: message?.payload } };
  if ((type === MessageType.Start || type === MessageType.Stop) && (typeof message?.id !== 'string' || message.id === '')) {
    return { error: { type: MessageType.Error, payload: { errors: [{ errorType: 'MalformedMessage', message: `A ${type} message needs an id.` }] } } };
  }
  if (type === MessageType.Stop) return { message: { type, id: message?.id as string } };
  if (type === MessageType.Start) {
    const payload = message?.payload as { data?: unknown; extensions?: unknown } | undefined;
    if (typeof payload?.data !== 'string') {
      return { error: { type: MessageType.Error, id: message?.id as string, payload: { errors: [{ errorType: 'MalformedMessage', message: 'start needs payload.data, the JSON string of {query, variables}.' }] } } };
    }
    return { message: { type, id: message?.id as string, payload: payload as { data: string } } };
  }
  return { error: { type: MessageType.Error, payload: { errors: [{ errorType: 'UnsupportedOperation', message: `${String(type)} not supported through the realtime channel` }] } } };
}
