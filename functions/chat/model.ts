// Streams one reply from Claude, on Anthropic's API or on Amazon Bedrock. Failures before the first token are retried
// (retry.ts); after it, none are: the text already published can't be taken back, so the failure ends the reply
// with the text kept.
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { NO_USAGE, type TokenUsage } from './event.ts';
import type { AwsCredentials } from './publisher.ts';
import { DEFAULT_RETRY_POLICY, retryDelayMs, sleep, StreamCutError, type RetryPolicy } from './retry.ts';

/** What a reply needs of a client: Anthropic's and AnthropicBedrock both have it. */
export interface ClaudeClient {
  messages: Pick<Anthropic['messages'], 'create'>;
}

/** The SDK retries nothing: retries are ours, so none ever happens after the first token. */
export function createAnthropicClient(apiKey: string): Anthropic {
  return new Anthropic({ apiKey, maxRetries: 0 });
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

/** The model failed; `afterFirstToken` says whether any text had been received. */
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

export interface StreamOptions {
  onText: (text: string) => void;
  /** Aborting it (a stop) ends the stream; `streamReply` then resolves with what it had. */
  signal: AbortSignal;
  policy?: RetryPolicy;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  random?: () => number;
}

export interface StreamOutcome extends ModelResult {
  /** False when the signal aborted the stream before its end. */
  completed: boolean;
}

class Attempt {
  usage: TokenUsage = { ...NO_USAGE };
  stopReason: string | null = null;
  gotText = false;
  stopped = false;

  apply(event: RawMessageStreamEvent, onText: (text: string) => void): void {
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
      case 'content_block_delta':
        if (event.delta.type === 'text_delta' && event.delta.text !== '') {
          this.gotText = true;
          onText(event.delta.text);
        }
        break;
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
}

export async function streamReply(client: ClaudeClient, params: Omit<MessageCreateParamsStreaming, 'stream'>, options: StreamOptions): Promise<StreamOutcome> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  for (let attempt = 1; ; attempt++) {
    const current = new Attempt();
    try {
      const stream = await client.messages.create({ ...params, stream: true }, { signal: options.signal });
      for await (const event of stream) current.apply(event, options.onText);
      if (options.signal.aborted) return { stopReason: current.stopReason, usage: current.usage, completed: false };
      if (!current.stopped) throw new StreamCutError();
      return { stopReason: current.stopReason, usage: current.usage, completed: true };
    } catch (error) {
      if (options.signal.aborted) return { stopReason: current.stopReason, usage: current.usage, completed: false };
      const delay = current.gotText ? undefined : retryDelayMs(error, attempt, policy, options.random);
      if (delay === undefined) throw new ModelStreamError(error, current.gotText, current.usage);
      options.onRetry?.(attempt, delay, error);
      await sleep(delay, options.signal);
      if (options.signal.aborted) return { stopReason: null, usage: current.usage, completed: false };
    }
  }
}
