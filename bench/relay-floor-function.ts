// The relay's floor (bench/relay-floor.ts): a Lambda handler that does only what relaying needs. It reads the model's
// stream with plain fetch and a minimal SSE split (no SDK, no DynamoDB, no Powertools) and publishes the text with the
// chat function's own Coalescer, Publisher and signed publishReplyEvent sender, then a DONE. Bundled by the bench and
// run in the sandbox's Lambda workers next to the chat function.
import { Coalescer } from '../functions/chat/coalescer.ts';
import { NO_USAGE, type ReplyEventBody } from '../functions/chat/event.ts';
import { appSyncSender, Publisher } from '../functions/chat/publisher.ts';
import { credentialsFromEnv } from '../functions/shared/credentials.ts';

/** What the bench invokes the floor with: the reply to publish (as the chat function's event names it), the prompt, and
 * where to send publishReplyEvent (the sandbox's AppSync, or the bench's door straight to the hub). */
export interface FloorEvent { owner: string; conversationId: string; replyId: string; content: string; publishUrl: string }

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** Each `text_delta`'s text, from SSE frames split on blank lines. */
async function readTextDeltas(body: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let pending = '';
  const reader = body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    pending += decoder.decode(read.value, { stream: true });
    for (let end = pending.indexOf('\n\n'); end >= 0; end = pending.indexOf('\n\n')) {
      const frame = pending.slice(0, end);
      pending = pending.slice(end + 2);
      if (!frame.startsWith('event: content_block_delta')) continue;
      const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { delta?: { type?: string; text?: string } };
      if (data.delta?.type === 'text_delta' && data.delta.text) onText(data.delta.text);
    }
  }
}

export async function handler(event: FloorEvent): Promise<{ published: number }> {
  const send = appSyncSender({ url: event.publishUrl, region: env('AWS_REGION'), credentials: credentialsFromEnv() });
  const log = { warn: (message: string, extra: Record<string, unknown>) => console.warn(message, JSON.stringify(extra)) };
  let seq = 0;
  const waiting: { coalescer?: Coalescer } = {};
  const publisher = new Publisher(send, log, () => waiting.coalescer?.resume());
  const publish = (body: ReplyEventBody): void => {
    seq += 1;
    publisher.enqueue({ ...body, conversationId: event.conversationId, messageId: event.replyId, owner: event.owner, seq });
  };
  const coalescer = new Coalescer({
    flushMs: Number(env('FLUSH_MS')),
    maxChars: Number(process.env['FLUSH_MAX_CHARS'] ?? 2000),
    onFlush: (text, block) => publish({ type: 'DELTA', index: block.index, text }),
    ready: () => publisher.pending === 0,
  });
  waiting.coalescer = coalescer;
  const response = await fetch(`${env('FLOOR_CLAUDE_URL')}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'bench', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: env('FLOOR_MODEL_ID'), max_tokens: 1024, stream: true, messages: [{ role: 'user', content: event.content }] }),
  });
  if (!response.ok || !response.body) throw new Error(`the stand-in answered HTTP ${response.status}`);
  await readTextDeltas(response.body, (text) => coalescer.push(text));
  coalescer.flush();
  publish({ type: 'DONE', status: 'COMPLETE', stopReason: 'end_turn', error: null, usage: NO_USAGE });
  await publisher.idle();
  return { published: publisher.published };
}
