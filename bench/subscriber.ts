// A real-time subscriber that timestamps every reply event as it arrives: the "received" end of relay lag,
// first-token time and fan-out.
import type { Sandbox } from '../sandbox/sandbox.ts';
import { ended, subscribe, type ReplyEvent, type User } from '../test/e2e/product.ts';
import type { RawClient } from '../test/integration/sandbox/ws-client.ts';
import { now } from './stats.ts';

export interface Received { at: number; event: ReplyEvent }

export interface TimedSubscriber {
  received: Received[];
  ended(replyId: string, timeoutMs?: number): Promise<ReplyEvent>;
  close(): void;
}

export async function timedSubscriber(sandbox: Sandbox, who: User, conversationId: string): Promise<TimedSubscriber> {
  const client: RawClient = await subscribe(sandbox, who, conversationId);
  const received: Received[] = [];
  client.socket.on('message', (data: Buffer) => {
    const at = now();
    const frame = JSON.parse(data.toString('utf8')) as { type: string; payload?: { data?: { onReplyEvent?: ReplyEvent } } };
    const event = frame.type === 'data' ? frame.payload?.data?.onReplyEvent : undefined;
    if (event) received.push({ at, event });
  });
  return {
    received,
    ended: (replyId, timeoutMs = 60_000) => ended(client, replyId, 'reply', timeoutMs),
    close: () => client.close(),
  };
}

/** The text of one reply: its DELTA events' text in seq order. */
export function replyText(received: readonly Received[], replyId: string): string {
  return received.filter((r) => r.event.messageId === replyId && r.event.type === 'DELTA').sort((a, b) => a.event.seq - b.event.seq).map((r) => r.event.text ?? '').join('');
}

/** The DELTA events of one reply, with the text length received up to and including each. */
export function deltasOf(received: readonly Received[], replyId: string): { at: number; end: number }[] {
  let end = 0;
  return received
    .filter((r) => r.event.messageId === replyId && r.event.type === 'DELTA')
    .sort((a, b) => a.event.seq - b.event.seq)
    .map((r) => ({ at: r.at, end: (end += (r.event.text ?? '').length) }));
}
