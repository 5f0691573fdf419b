// A Messages request as the stand-in holds it once validate.ts accepted it: blocks in prompt order, the thinking and
// tool settings. Types only (and the one walk over the blocks), so every other file can import it without a circle.

export interface CacheControl {
  type: 'ephemeral';
  ttl: '5m' | '1h';
}

/** One block of the prompt: a tool, a system text block or a message content block. */
export interface PromptBlock {
  type: string;
  /** The block as sent, without `cache_control`: what is hashed and counted. */
  body: Record<string, unknown>;
  cacheControl?: CacheControl;
}

export type Role = 'user' | 'assistant' | 'system';

export interface PromptMessage {
  role: Role;
  blocks: PromptBlock[];
}

/** `thinking`: off, or on with a budget (`adaptive` has none: the budget is what max_tokens leaves). */
export type ThinkingSetting = { enabled: false } | { enabled: true; budgetTokens: number };

/** `tool_choice`, as the SDK's `ToolChoice` union. */
export type ToolChoiceSetting = { type: 'auto' } | { type: 'any' } | { type: 'tool'; name: string } | { type: 'none' };

export interface MessageRequest {
  model: string;
  maxTokens: number;
  stream: boolean;
  stopSequences: string[];
  tools: PromptBlock[];
  system: PromptBlock[];
  messages: PromptMessage[];
  thinking: ThinkingSetting;
  toolChoice: ToolChoiceSetting;
  /** `metadata.user_id`: the caller's opaque id for its end user (the chat function sends the user's Cognito sub). */
  userId?: string;
}

/** Every block in the order the prompt cache sees them: tools, then system, then messages. */
export function promptBlocks(request: MessageRequest): PromptBlock[] {
  return [...request.tools, ...request.system, ...request.messages.flatMap((message) => message.blocks)];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
