// Checks a Messages request body as the API does and normalises it into blocks in prompt order.
// Rules from Anthropic's "Messages" API reference and "Prompt caching" (breakpoints, at most 4).
import { ClaudeApiError } from './errors.ts';

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

export interface MessageRequest {
  model: string;
  maxTokens: number;
  stream: boolean;
  stopSequences: string[];
  tools: PromptBlock[];
  system: PromptBlock[];
  messages: PromptMessage[];
}

/** Content block `type`s the Messages API accepts (the SDK's `ContentBlockParam` union). */
export const CONTENT_BLOCK_TYPES: readonly string[] = [
  'text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result',
  'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result',
  'bash_code_execution_tool_result', 'text_editor_code_execution_tool_result', 'tool_search_tool_result',
  'container_upload',
];

const MAX_BREAKPOINTS = 4;

type Json = Record<string, unknown>;

function invalid(message: string): ClaudeApiError {
  return new ClaudeApiError('invalid_request_error', message);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cacheControlOf(value: unknown, path: string): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || value.type !== 'ephemeral') {
    throw invalid(`${path}.type: Input should be 'ephemeral'`);
  }
  const ttl = value.ttl ?? '5m';
  if (ttl !== '5m' && ttl !== '1h') throw invalid(`${path}.ttl: Input should be '5m' or '1h'`);
  return { type: 'ephemeral', ttl };
}

function blockOf(value: unknown, path: string, allowed: readonly string[]): PromptBlock {
  if (!isObject(value)) throw invalid(`${path}: Input should be a valid dictionary`);
  const { cache_control: cacheControlValue, ...body } = value;
  const type = body.type;
  if (typeof type !== 'string' || !allowed.includes(type)) {
    const expected = allowed.map((t) => `'${t}'`).join(', ');
    throw invalid(`${path}: Input tag '${String(type)}' found using 'type' does not match any of the expected tags: ${expected}`);
  }
  if (type === 'text' && typeof body.text !== 'string') throw invalid(`${path}.text: Field required`);
  const cacheControl = cacheControlOf(cacheControlValue, `${path}.cache_control`);
  return cacheControl ? { type, body, cacheControl } : { type, body };
}

function contentOf(value: unknown, path: string, allowed: readonly string[]): PromptBlock[] {
  if (typeof value === 'string') return [{ type: 'text', body: { type: 'text', text: value } }];
  if (!Array.isArray(value)) throw invalid(`${path}: Input should be a valid string or list`);
  return value.map((block, index) => blockOf(block, `${path}.${index}`, allowed));
}

function isEmpty(blocks: PromptBlock[]): boolean {
  return blocks.every((block) => block.type === 'text' && block.body.text === '');
}

function messagesOf(value: unknown): PromptMessage[] {
  if (value === undefined) throw invalid('messages: Field required');
  if (!Array.isArray(value)) throw invalid('messages: Input should be a valid list');
  if (value.length === 0) throw invalid('messages: at least one message is required');
  const messages = value.map((message, index): PromptMessage => {
    const path = `messages.${index}`;
    if (!isObject(message)) throw invalid(`${path}: Input should be a valid dictionary`);
    const role = message.role;
    if (role !== 'user' && role !== 'assistant' && role !== 'system') {
      throw invalid(`${path}.role: Input should be 'user', 'assistant' or 'system'`);
    }
    if (message.content === undefined) throw invalid(`${path}.content: Field required`);
    const allowed = role === 'system' ? ['text'] : CONTENT_BLOCK_TYPES;
    const blocks = contentOf(message.content, `${path}.content`, allowed);
    // Consecutive turns of one role are merged by the API, so only emptiness is checked per message.
    if (isEmpty(blocks) && !(role === 'assistant' && index === value.length - 1)) {
      throw invalid(`${path}: all messages must have non-empty content except for the optional final assistant message`);
    }
    return { role, blocks };
  });
  if (messages.find((message) => message.role !== 'system')?.role !== 'user') {
    throw invalid('messages: first message must use the "user" role');
  }
  return messages;
}

function toolsOf(value: unknown): PromptBlock[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('tools: Input should be a valid list');
  return value.map((tool, index): PromptBlock => {
    if (!isObject(tool) || typeof tool.name !== 'string') throw invalid(`tools.${index}.name: Field required`);
    const { cache_control: cacheControlValue, ...body } = tool;
    const cacheControl = cacheControlOf(cacheControlValue, `tools.${index}.cache_control`);
    const type = typeof body.type === 'string' ? body.type : 'custom';
    return cacheControl ? { type, body, cacheControl } : { type, body };
  });
}

function maxTokensOf(value: unknown): number {
  if (value === undefined) throw invalid('max_tokens: Field required');
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid('max_tokens: Input should be a valid integer');
  // 0 is valid: it pre-warms the prompt cache without generating (the SDK's `max_tokens` doc).
  if (value < 0) throw invalid('max_tokens: Input should be greater than or equal to 0');
  return value;
}

function stopSequencesOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid('stop_sequences: Input should be a valid list of strings');
  }
  return value.filter((item) => item !== '');
}

/**
 * Validates a parsed JSON body; throws `ClaudeApiError` (invalid_request_error) on the first problem.
 * `countTokens` checks a /v1/messages/count_tokens body, which has no `max_tokens`.
 */
export function validateMessageRequest(body: unknown, { countTokens = false } = {}): MessageRequest {
  if (!isObject(body)) throw invalid('Request body must be a JSON object');
  if (body.model === undefined) throw invalid('model: Field required');
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model: Input should be a valid string');
  const maxTokens = countTokens ? 0 : maxTokensOf(body.max_tokens);
  const messages = messagesOf(body.messages);
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw invalid('stream: Input should be a valid boolean');
  const system = body.system === undefined || body.system === null ? [] : contentOf(body.system, 'system', ['text']);
  const request: MessageRequest = {
    model: body.model,
    maxTokens,
    stream: body.stream === true,
    stopSequences: stopSequencesOf(body.stop_sequences),
    tools: toolsOf(body.tools),
    system,
    messages,
  };
  applyAutomaticBreakpoint(request, cacheControlOf(body.cache_control, 'cache_control'));
  const breakpoints = promptBlocks(request).filter((block) => block.cacheControl).length;
  if (breakpoints > MAX_BREAKPOINTS) {
    throw invalid(`A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`);
  }
  return request;
}

/** Top-level `cache_control` puts the breakpoint on the last block ("Prompt caching": automatic caching). */
function applyAutomaticBreakpoint(request: MessageRequest, cacheControl: CacheControl | undefined): void {
  const last = promptBlocks(request).at(-1);
  if (cacheControl && last && !last.cacheControl) last.cacheControl = cacheControl;
}

/** Every block in the order the prompt cache sees them: tools, then system, then messages. */
export function promptBlocks(request: MessageRequest): PromptBlock[] {
  return [...request.tools, ...request.system, ...request.messages.flatMap((message) => message.blocks)];
}
