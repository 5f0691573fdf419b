// Publishes reply events with the IAM-only `publishReplyEvent` mutation, one at a time and in order, from a queue:
// `enqueue` never waits, so the model stream is never held up by AppSync. A failed publish is logged and counted.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ReplyEvent } from './event.ts';
import type { AwsCredentials } from '../shared/credentials.ts';

const CITATION_FIELDS = 'type citedText documentIndex documentTitle start end';

/** Subscribers receive only the fields this selection names (AppSync's rule): every field of ReplyEvent is here. */
export const PUBLISH_MUTATION = `mutation PublishReplyEvent($input: PublishReplyEventInput!) {
  publishReplyEvent(input: $input) {
    conversationId messageId owner seq type index text title status stopReason error
    block { index type text toolUseId name input status output isError citations { ${CITATION_FIELDS} } }
    citation { ${CITATION_FIELDS} }
    usage { inputTokens outputTokens cacheReadInputTokens cacheCreationInputTokens }
  }
}`;

export class PublishError extends Error {
  readonly errorType = 'PublishError';
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

export type SendEvent = (event: ReplyEvent) => Promise<void>;

/**
 * Connections kept open between publishes and between invocations of the same execution environment, one pool per
 * protocol, as fetch's global pool did. A reply publishes every ~flushMs, and a POST through node:http costs about half
 * the CPU of one through fetch. An idle connection is closed after 4 s, as fetch's (undici's keepAliveTimeout) is.
 */
const agents = { 'http:': new HttpAgent({ keepAlive: true, timeout: 4_000 }), 'https:': new HttpsAgent({ keepAlive: true, timeout: 4_000 }) };

interface Answer { status: number; text: string }

/** One POST; a reused connection the server had closed, found so before any answer came, is tried once more, anew. */
function post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number, retried = false): Promise<Answer> {
  const secure = url.protocol === 'https:';
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: 'POST', agent: agents[secure ? 'https:' : 'http:'], headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    }, (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => settle(() => resolve({ status: response.statusCode ?? 0, text })));
      response.on('error', (error) => settle(() => reject(error)));
    });
    const timer = setTimeout(() => request.destroy(new PublishError(`publishReplyEvent got no answer in ${timeoutMs} ms`)), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => settle(() => {
      // Node's documented retry ("request.reusedSocket"): the server closed an idle kept-alive connection as it was
      // reused, so the request never reached it. Once an answer has begun, the event was received: no retry.
      const stale = !answered && request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      if (stale && !retried) post(url, headers, body, timeoutMs, true).then(resolve, reject);
      else reject(error);
    }));
    request.end(body);
  });
}

/** A sender that POSTs the mutation to the AppSync endpoint, signed with SigV4 for the `appsync` service. */
export function appSyncSender(options: { url: string; region: string; credentials: AwsCredentials; timeoutMs?: number }): SendEvent {
  const signer = new SignatureV4({ credentials: options.credentials, region: options.region, service: 'appsync', sha256: Sha256 });
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PublishError(`the GraphQL URL ${options.url} is not http(s)`);
  return async (event) => {
    const body = JSON.stringify({ query: PUBLISH_MUTATION, variables: { input: event } });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });
    const { status, text } = await post(url, signed.headers, body, options.timeoutMs ?? 10_000);
    if (status < 200 || status >= 300) throw new PublishError(`publishReplyEvent answered HTTP ${status}: ${text.slice(0, 300)}`);
    const answer = JSON.parse(text) as { errors?: { message?: string; errorType?: string }[] };
    const [first] = answer.errors ?? [];
    if (first) throw new PublishError(`publishReplyEvent failed: ${first.errorType ?? 'Error'}: ${first.message ?? ''}`);
  };
}

export interface PublisherLog {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Called each time the queue empties: the coalescer sends a batch that waited. */
export type OnIdle = () => void;

export class Publisher {
  readonly #send: SendEvent;
  readonly #log: PublisherLog;
  readonly #queue: ReplyEvent[] = [];
  #running: Promise<void> | undefined;
  #published = 0;
  #failed = 0;

  readonly #onIdle: OnIdle | undefined;

  constructor(send: SendEvent, log: PublisherLog, onIdle?: OnIdle) {
    this.#send = send;
    this.#log = log;
    this.#onIdle = onIdle;
  }

  /** Events queued or being sent. */
  get pending(): number {
    return this.#queue.length + (this.#running ? 1 : 0);
  }

  /** Queues an event; it is sent after every event queued before it. Returns at once. */
  enqueue(event: ReplyEvent): void {
    this.#queue.push(event);
    this.#running ??= this.#run();
  }

  async #run(): Promise<void> {
    for (let event = this.#queue.shift(); event !== undefined; event = this.#queue.shift()) {
      try {
        await this.#send(event);
        this.#published += 1;
      } catch (error) {
        this.#failed += 1;
        this.#log.warn('a reply event was not published', { seq: event.seq, type: event.type, error: error instanceof Error ? error.message : String(error) });
      }
    }
    // Cleared in the same turn the queue is seen empty, so an enqueue never lands between the two.
    this.#running = undefined;
    this.#onIdle?.();
  }

  /** Resolves once every queued event has been sent (or has failed). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Events sent successfully. */
  get published(): number {
    return this.#published;
  }

  get failed(): number {
    return this.#failed;
  }
}
