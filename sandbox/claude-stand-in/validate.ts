// Checks a Messages request body as the API does and normalises it into blocks in prompt order.
// Rules from Anthropic's "Messages" API reference and "Prompt caching" (breakpoints, at most 4); content blocks are
// checked in blocks.ts, tools and their pairing in tools.ts, extended thinking in thinking.ts.
import { blockOf, cacheControlOf, CONTENT_BLOCK_TYPES } from './blocks.ts';
import { invalidRequest } from './errors.ts';
import { isObject, promptBlocks, type CacheControl, type MessageRequest, type PromptBlock, type PromptMessage, type Role } from './prompt.ts';
import { checkThinkingTurn, thinkingOf } from './thinking.ts';
import { checkToolPairs, toolChoiceOf, toolsOf } from './tools.ts';

const MAX_BREAKPOINTS = 4;

const invalid = invalidRequest;

function contentOf(value: unknown, path: string, allowed: readonly string[], role: Role): PromptBlock[] {
  if (typeof value === 'string') return [{ type: 'text', body: { type: 'text', text: value } }];
  if (!Array.isArray(value)) throw invalid(`${path}: Input should be a valid string or list`);
  return value.map((block, index) => blockOf(block, `${path}.${index}`, allowed, role));
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
    const blocks = contentOf(message.content, `${path}.content`, allowed, role);
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
 * Thinking signatures are checked apart (`ThinkingSigner.checkSignatures`): they need the stand-in's secret.
 */
/** `metadata`: an object whose one field, `user_id`, is a string of at most 256 characters or null (the API's rule). */
function userIdOf(metadata: unknown): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (!isObject(metadata)) throw invalid('metadata: Input should be a valid dictionary or object to extract fields from');
  const extra = Object.keys(metadata).find((key) => key !== 'user_id');
  if (extra !== undefined) throw invalid(`metadata.${extra}: Extra inputs are not permitted`);
  const id = metadata.user_id;
  if (id === undefined || id === null) return undefined;
  if (typeof id !== 'string') throw invalid('metadata.user_id: Input should be a valid string');
  if (id.length > 256) throw invalid('metadata.user_id: String should have at most 256 characters');
  return id;
}

export function validateMessageRequest(body: unknown, { countTokens = false } = {}): MessageRequest {
  if (!isObject(body)) throw invalid('Request body must be a JSON object');
  if (body.model === undefined) throw invalid('model: Field required');
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model: Input should be a valid string');
  const maxTokens = countTokens ? 0 : maxTokensOf(body.max_tokens);
  const messages = messagesOf(body.messages);
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw invalid('stream: Input should be a valid boolean');
  const system = body.system === undefined || body.system === null ? [] : contentOf(body.system, 'system', ['text'], 'system');
  const toolChoice = toolChoiceOf(body.tool_choice);
  const userId = userIdOf(body.metadata);
  const request: MessageRequest = {
    model: body.model,
    maxTokens,
    stream: body.stream === true,
    stopSequences: stopSequencesOf(body.stop_sequences),
    tools: toolsOf(body.tools),
    system,
    messages,
    thinking: thinkingOf(body.thinking, countTokens ? undefined : maxTokens, toolChoice),
    toolChoice,
    ...(userId === undefined ? {} : { userId }),
  };
  checkToolPairs(messages);
  checkThinkingTurn(request);
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
