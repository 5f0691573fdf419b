// Prompt-cache accounting: which input tokens are read from cache, written to it, or plain input.
// Follows Anthropic's "Prompt caching" page: prefixes end at cache_control breakpoints (tools, system, messages),
// hits are looked for up to 20 blocks before each breakpoint, entries live 5 minutes (or 1 hour) from last use,
// prefixes under the model's minimum are not cached, and input_tokens counts only what follows the last breakpoint.
import { createHash } from 'node:crypto';
import { blockTokens } from './tokens.ts';
import { promptBlocks, type MessageRequest } from './prompt.ts';

export interface CacheUsage {
  inputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  ephemeral5mInputTokens: number;
  ephemeral1hInputTokens: number;
}

const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
const LOOKBACK_BLOCKS = 20;

/** Minimum cacheable prompt length by model ("Prompt caching": cache limitations); 1024 for the rest. */
const MINIMUMS: ReadonlyArray<readonly [RegExp, number]> = [
  [/opus-4-[56]|haiku-4-5/, 4096],
  [/haiku-3|3-haiku|3-5-haiku/, 2048],
];

export function minimumCacheableTokens(model: string): number {
  return MINIMUMS.find(([pattern]) => pattern.test(model))?.[1] ?? 1024;
}

interface Entry {
  expiresAt: number;
  ttlMs: number;
}

export interface PromptCache {
  /** Accounts one request and records what it wrote; call once per answered request. */
  account(request: MessageRequest): CacheUsage;
}

export function createPromptCache(now: () => number): PromptCache {
  const entries = new Map<string, Entry>();

  function prune(at: number): void {
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  }

  function account(request: MessageRequest): CacheUsage {
    const at = now();
    prune(at);
    const blocks = promptBlocks(request);
    // prefix[i] is the tokens of blocks 0..i; keys[i] a hash chain over the same blocks (and the model).
    const prefix: number[] = [];
    const keys: string[] = [];
    let tokens = 0;
    let key = request.model;
    for (const block of blocks) {
      tokens += blockTokens(block);
      key = createHash('sha256').update(key).update(JSON.stringify(block.body)).digest('hex');
      prefix.push(tokens);
      keys.push(key);
    }
    const minimum = minimumCacheableTokens(request.model);
    const breakpoints = blocks.flatMap((block, index) =>
      block.cacheControl && (prefix[index] ?? 0) >= minimum ? [{ index, ttl: block.cacheControl.ttl }] : []);
    const last = breakpoints.at(-1);
    const usage: CacheUsage = { inputTokens: tokens, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, ephemeral5mInputTokens: 0, ephemeral1hInputTokens: 0 };
    if (!last) return usage;

    let hit = -1;
    for (const { index } of breakpoints) {
      for (let i = index; i >= Math.max(0, index - LOOKBACK_BLOCKS + 1) && i > hit; i--) {
        if (entries.has(keys[i] ?? '')) hit = i;
      }
    }
    const read = hit >= 0 ? prefix[hit] ?? 0 : 0;
    if (hit >= 0) {
      const entry = entries.get(keys[hit] ?? '');
      if (entry) entry.expiresAt = at + entry.ttlMs;
    }
    let start = read;
    for (const { index, ttl } of breakpoints) {
      if (index <= hit) continue;
      const written = (prefix[index] ?? 0) - start;
      if (ttl === '1h') usage.ephemeral1hInputTokens += written;
      else usage.ephemeral5mInputTokens += written;
      start = prefix[index] ?? 0;
      entries.set(keys[index] ?? '', { expiresAt: at + TTL_MS[ttl], ttlMs: TTL_MS[ttl] });
    }
    usage.cacheReadInputTokens = read;
    usage.cacheCreationInputTokens = usage.ephemeral5mInputTokens + usage.ephemeral1hInputTokens;
    usage.inputTokens = tokens - (prefix[last.index] ?? 0);
    return usage;
  }

  return { account };
}
