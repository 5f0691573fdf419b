// Streams one reply from Claude, on Anthropic's API or on Amazon Bedrock. Failures before the first token are retried
// (retry.ts); after it, none are: the text already published can't be taken back, so the failure ends the reply
// with the text kept.
import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages/messages';
import type {
  ContentBlockParam, MessageCreateParamsStreaming, RawMessageStreamEvent, TextCitation,
} from '@anthropic-ai/sdk/resources/messages';
import { NO_USAGE, type Citation, type TokenUsage } from './event.ts';
import type { AwsCredentials } from '../shared/credentials.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, sleep, StreamCutError, type RetryPolicy } from './retry.ts';

/** What a reply needs of a client: Anthropic's and AnthropicBedrock both have it. */
export interface ClaudeClient {
  messages: Pick<Messages, 'create'>;
}

/**
 * The SDK's base client with the one resource a reply uses, Messages: the `Anthropic` class also constructs every
 * other resource (models, files, batches, beta...), which is 320 KB more of the function's bundle to load at each cold
 * start. It is the same request code: `Anthropic` extends `BaseAnthropic`. The SDK retries nothing: retries are ours,
 * so none ever happens after the first token.
 */
export function createAnthropicClient(apiKey: string): ClaudeClient {
  const client = new BaseAnthropic({ apiKey, maxRetries: 0 });
  return { messages: new Messages(client) };
}

/**
 * Claude on Bedrock, signed (SigV4) with the function role's credentials; never a bearer token from the environment.
 * The SDK is loaded only here: the anthropic stage's bundle leaves it out (infra/functions.ts).
 */
export async function createBedrockClient(bedrock: { region: string; baseUrl?: string }, credentials: AwsCredentials): Promise<ClaudeClient> {
  const { AnthropicBedrock } = await import('@anthropic-ai/bedrock-sdk');
  return new AnthropicBedrock({
    awsRegion: bedrock.region,
    ...(bedrock.baseUrl === undefined ? {} : { baseURL: bedrock.baseUrl }),
    apiKey: null,
    awsAccessKey: credentials.accessKeyId,
    awsSecretKey: credentials.secretAccessKey,
    awsSessionToken: credentials.sessionToken ?? null,
    maxRetries: 0,
  });
}

export interface ModelResult {
  stopReason: string | null;
  usage: TokenUsage;
}

/** The model failed; `afterFirstToken` says whether any output (text, thinking, a tool call) had been received. */
export class ModelStreamError extends Error {
  readonly errorType = 'ModelStreamError';
  readonly afterFirstToken: boolean;
  readonly usage: TokenUsage;
  constructor(cause: unknown, afterFirstToken: boolean, usage: TokenUsage) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'ModelStreamError';
    this.afterFirstToken = afterFirstToken;
    this.usage = usage;
  }
}

/** A tool call the model finished writing. */
export interface ToolCall {
  id: string;
  name: string;
  /** The parsed input; `{}` when the model sent none. */
  input: Record<string, unknown>;
}

/** What the model writes, as it writes it. Indices are the model's own: 0, 1, 2... within one call. */
export interface StreamHandlers {
  onText(index: number, text: string): void;
  onThinking?(index: number, text: string): void;
  onSignature?(index: number, signature: string): void;
  onCitation?(index: number, citation: Citation): void;
  /** A tool_use block, once its input is complete. */
  onToolUse?(index: number, call: ToolCall): void;
}

export interface StreamOptions extends StreamHandlers {
  /** Aborting it (a stop) ends the stream; `streamReply` then resolves with what it had. */
  signal: AbortSignal;
  policy?: RetryPolicy;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  random?: () => number;
}

export interface StreamOutcome extends ModelResult {
  /** False when the signal aborted the stream before its end. */
  completed: boolean;
  /** The assistant's content blocks as the API wants them back in the next request of a tool loop. */
  content: ContentBlockParam[];
}

/** A citation as the schema's Citation type has it. */
export function citationOf(citation: TextCitation): Citation {
  const common = { type: citation.type, citedText: citation.cited_text };
  switch (citation.type) {
    case 'char_location':
      return { ...common, documentIndex: citation.document_index, documentTitle: citation.document_title, start: citation.start_char_index, end: citation.end_char_index };
    case 'page_location':
      return { ...common, documentIndex: citation.document_index, documentTitle: citation.document_title, start: citation.start_page_number, end: citation.end_page_number };
    case 'content_block_location':
      return { ...common, documentIndex: citation.document_index, documentTitle: citation.document_title, start: citation.start_block_index, end: citation.end_block_index };
    default:
      return { ...common, documentTitle: citation.title ?? null };
  }
}

/** A block being streamed, as it will be sent back to the model. */
type Building =
  | { type: 'text'; text: string; citations: TextCitation[] }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'other' };

function parseToolInput(json: string): Record<string, unknown> {
  if (json.trim() === '') return {};
  const value: unknown = JSON.parse(json);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

function paramOf(block: Building): ContentBlockParam | undefined {
  switch (block.type) {
    case 'text':
      return block.citations.length > 0 ? { type: 'text', text: block.text, citations: block.citations } : { type: 'text', text: block.text };
    case 'thinking':
      return { type: 'thinking', thinking: block.thinking, signature: block.signature };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: block.data };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: parseToolInput(block.json) };
    default:
      return undefined;
  }
}

class Attempt {
  usage: TokenUsage = { ...NO_USAGE };
  stopReason: string | null = null;
  gotOutput = false;
  stopped = false;
  readonly blocks = new Map<number, Building>();

  get content(): ContentBlockParam[] {
    return [...this.blocks.entries()].sort(([a], [b]) => a - b).flatMap(([, block]) => {
      const param = paramOf(block);
      return param ? [param] : [];
    });
  }

  apply(event: RawMessageStreamEvent, handlers: StreamHandlers): void {
    switch (event.type) {
      case 'message_start': {
        const usage = event.message.usage;
        this.usage = {
          inputTokens: usage.input_tokens,
          outputTokens: usage.output_tokens,
          cacheReadInputTokens: usage.cache_read_input_tokens ?? 0,
          cacheCreationInputTokens: usage.cache_creation_input_tokens ?? 0,
        };
        break;
      }
      case 'content_block_start': {
        const block = event.content_block;
        switch (block.type) {
          case 'text':
            this.blocks.set(event.index, { type: 'text', text: '', citations: [] });
            if (block.text !== '') this.#text(event.index, block.text, handlers);
            break;
          case 'thinking':
            this.blocks.set(event.index, { type: 'thinking', thinking: '', signature: '' });
            break;
          case 'redacted_thinking':
            this.gotOutput = true;
            this.blocks.set(event.index, { type: 'redacted_thinking', data: block.data });
            break;
          case 'tool_use':
            this.blocks.set(event.index, { type: 'tool_use', id: block.id, name: block.name, json: '' });
            break;
          default:
            this.blocks.set(event.index, { type: 'other' });
        }
        break;
      }
      case 'content_block_delta': {
        const block = this.blocks.get(event.index);
        const delta = event.delta;
        if (delta.type === 'text_delta') this.#text(event.index, delta.text, handlers);
        else if (delta.type === 'thinking_delta' && block?.type === 'thinking' && delta.thinking !== '') {
          this.gotOutput = true;
          block.thinking += delta.thinking;
          handlers.onThinking?.(event.index, delta.thinking);
        } else if (delta.type === 'signature_delta' && block?.type === 'thinking') {
          block.signature += delta.signature;
        } else if (delta.type === 'input_json_delta' && block?.type === 'tool_use') {
          this.gotOutput = true;
          block.json += delta.partial_json;
        } else if (delta.type === 'citations_delta' && block?.type === 'text') {
          this.gotOutput = true;
          block.citations.push(delta.citation);
          handlers.onCitation?.(event.index, citationOf(delta.citation));
        }
        break;
      }
      case 'content_block_stop': {
        const block = this.blocks.get(event.index);
        if (block?.type === 'thinking' && block.signature !== '') handlers.onSignature?.(event.index, block.signature);
        if (block?.type === 'tool_use') {
          this.gotOutput = true;
          handlers.onToolUse?.(event.index, { id: block.id, name: block.name, input: parseToolInput(block.json) });
        }
        break;
      }
      case 'message_delta': {
        // The delta's usage is cumulative ("Streaming Messages"): it replaces what message_start said.
        const usage = event.usage;
        this.usage = {
          inputTokens: usage.input_tokens ?? this.usage.inputTokens,
          outputTokens: usage.output_tokens,
          cacheReadInputTokens: usage.cache_read_input_tokens ?? this.usage.cacheReadInputTokens,
          cacheCreationInputTokens: usage.cache_creation_input_tokens ?? this.usage.cacheCreationInputTokens,
        };
        this.stopReason = event.delta.stop_reason;
        break;
      }
      case 'message_stop':
        this.stopped = true;
        break;
      default:
        break;
    }
  }

  #text(index: number, text: string, handlers: StreamHandlers): void {
    if (text === '') return;
    let block = this.blocks.get(index);
    if (block?.type !== 'text') {
      block = { type: 'text', text: '', citations: [] };
      this.blocks.set(index, block);
    }
    block.text += text;
    this.gotOutput = true;
    handlers.onText(index, text);
  }
}

export async function streamReply(client: ClaudeClient, params: Omit<MessageCreateParamsStreaming, 'stream'>, options: StreamOptions): Promise<StreamOutcome> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    const current = new Attempt();
    try {
      const stream = await client.messages.create({ ...params, stream: true }, { signal: options.signal });
      for await (const event of stream) current.apply(event, options);
      if (options.signal.aborted) return { stopReason: current.stopReason, usage: current.usage, completed: false, content: current.content };
      if (!current.stopped) throw new StreamCutError();
      return { stopReason: current.stopReason, usage: current.usage, completed: true, content: current.content };
    } catch (error) {
      if (options.signal.aborted) return { stopReason: current.stopReason, usage: current.usage, completed: false, content: current.content };
      const delay = current.gotOutput ? undefined : retryDelayMs(error, attempt, policy, options.random);
      if (delay === undefined) throw new ModelStreamError(error, current.gotOutput, current.usage);
      options.onRetry?.(attempt, delay, error);
      await sleep(delay, options.signal);
      if (options.signal.aborted) return { stopReason: null, usage: current.usage, completed: false, content: [] };
    }
  }
}
