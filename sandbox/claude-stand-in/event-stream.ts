// Amazon Bedrock's streaming answer: the AWS event stream binary framing (application/vnd.amazon.eventstream),
// one `chunk` event per Anthropic stream event, its JSON base64-encoded in `bytes` ("InvokeModelWithResponseStream",
// "PayloadPart"), and an `exception` message for an error met mid-stream ("ResponseStream").
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/core/event-streams';
import { StreamWriter } from './stream.ts';

// The AWS SDK's own codec writes the frames, so they are the bytes Bedrock's clients decode.
const codec = new EventStreamCodec((bytes) => Buffer.from(bytes).toString('utf8'), (text) => Buffer.from(text, 'utf8'));

/** One event stream message: string headers and a payload, with both CRC32 checksums. */
export function encodeEventStreamMessage(headers: Readonly<Record<string, string>>, payload: Uint8Array): Buffer {
  const tagged = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { type: 'string' as const, value }]));
  return Buffer.from(codec.encode({ headers: tagged, body: payload }));
}

/** A `chunk` event carrying one Anthropic stream event, as Bedrock sends it (`p` pads the length, as Bedrock's does). */
export function chunkMessage(event: unknown): Buffer {
  const bytes = Buffer.from(JSON.stringify(event), 'utf8').toString('base64');
  const payload = JSON.stringify({ bytes, p: randomBytes(8).toString('hex') });
  return encodeEventStreamMessage({ ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' }, Buffer.from(payload, 'utf8'));
}

/** An exception message (`:exception-type` is the camel-cased exception name, e.g. `modelStreamErrorException`). */
export function exceptionMessage(exceptionType: string, body: Record<string, unknown>): Buffer {
  return encodeEventStreamMessage({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' }, Buffer.from(JSON.stringify(body), 'utf8'));
}

interface Usage { input_tokens?: number; output_tokens?: number }

/**
 * Writes the stand-in's stream as Bedrock frames it: events become chunks (pings are not forwarded), an `error`
 * event becomes a `modelStreamErrorException`, and `message_stop` carries `amazon-bedrock-invocationMetrics`.
 */
export class BedrockStreamWriter extends StreamWriter {
  private readonly startedAt = performance.now();
  private firstByteAt: number | undefined;
  private inputTokens = 0;
  private outputTokens = 0;

  constructor(res: ServerResponse, signal: AbortSignal, private readonly requestId: string) {
    super(res, signal);
  }

  start(): void {
    this.writeHead({ 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': this.requestId, 'x-amzn-bedrock-content-type': 'application/json' });
  }

  event(type: string, data: unknown): Promise<void> {
    if (type === 'ping') return Promise.resolve();
    if (type === 'error') {
      const error = (data as { error?: { type?: string; message?: string } }).error;
      return this.write(exceptionMessage('modelStreamErrorException', {
        message: `Received error from the model: ${error?.message ?? 'unknown error'}`,
        originalStatusCode: 529,
        originalMessage: JSON.stringify(data),
      }));
    }
    this.count(type, data);
    if (type === 'message_stop') data = { ...(data as object), 'amazon-bedrock-invocationMetrics': this.metrics() };
    return this.write(chunkMessage(data));
  }

  private count(type: string, data: unknown): void {
    if (type === 'message_start') this.inputTokens = (data as { message?: { usage?: Usage } }).message?.usage?.input_tokens ?? 0;
    if (type === 'message_delta') this.outputTokens = (data as { usage?: Usage }).usage?.output_tokens ?? this.outputTokens;
    if (type === 'content_block_delta') this.firstByteAt ??= performance.now();
  }

  private metrics(): Record<string, number> {
    const now = performance.now();
    return {
      inputTokenCount: this.inputTokens,
      outputTokenCount: this.outputTokens,
      invocationLatency: Math.round(now - this.startedAt),
      firstByteLatency: Math.round((this.firstByteAt ?? now) - this.startedAt),
    };
  }
}
