// Extended thinking in a request, as the Messages API checks it ("Building with extended thinking"): the `thinking`
// setting and its budget, the thinking block a tool loop's assistant turn must open with, and the signatures of the
// thinking blocks sent back. The stand-in signs its thinking with an HMAC under a secret made at each start, so a
// block it did not write (or one edited since) is refused as the API refuses it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { invalidRequest } from './errors.ts';
import { isObject, type MessageRequest, type PromptMessage, type ThinkingSetting, type ToolChoiceSetting } from './prompt.ts';

/** The smallest `budget_tokens` (the SDK's `ThinkingConfigEnabled`: "Must be ≥1024 and less than `max_tokens`"). */
export const MIN_THINKING_BUDGET = 1024;

const invalid = invalidRequest;

function budgetOf(value: unknown, maxTokens: number | undefined): number {
  if (value === undefined) throw invalid('thinking.enabled.budget_tokens: Field required');
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid('thinking.enabled.budget_tokens: Input should be a valid integer');
  if (value < MIN_THINKING_BUDGET) throw invalid(`thinking.enabled.budget_tokens: Input should be greater than or equal to ${MIN_THINKING_BUDGET}`);
  if (maxTokens !== undefined && value >= maxTokens) throw invalid('`max_tokens` must be greater than `thinking.budget_tokens`.');
  return value;
}

/** `thinking`; `maxTokens` is undefined for count_tokens, which has none to compare the budget with. */
export function thinkingOf(value: unknown, maxTokens: number | undefined, toolChoice: ToolChoiceSetting): ThinkingSetting {
  if (value === undefined || value === null) return { enabled: false };
  if (!isObject(value)) throw invalid('thinking: Input should be a valid dictionary');
  let setting: ThinkingSetting;
  switch (value.type) {
    case 'enabled':
      setting = { enabled: true, budgetTokens: budgetOf(value.budget_tokens, maxTokens) };
      break;
    case 'adaptive':
      setting = { enabled: true, budgetTokens: Math.max(MIN_THINKING_BUDGET, (maxTokens ?? 0) - 1) };
      break;
    case 'disabled':
    case 'between_tools':
      return { enabled: false };
    default:
      throw invalid(`thinking: Input tag '${String(value.type)}' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'between_tools', 'adaptive'`);
  }
  if (toolChoice.type === 'any' || toolChoice.type === 'tool') throw invalid('Thinking may not be enabled when tool_choice forces tool use.');
  return setting;
}

/** The last user message that is more than tool results: where the current assistant turn began. */
export function turnStart(messages: readonly PromptMessage[]): number {
  return messages.findLastIndex((message) => message.role === 'user' && message.blocks.some((block) => block.type !== 'tool_result'));
}

/**
 * With thinking on, an assistant turn that is in a tool loop (its tool results are the last message) must open with
 * the thinking block it was answered with; with thinking off, a final assistant message may not hold thinking.
 */
export function checkThinkingTurn(request: MessageRequest): void {
  const { messages } = request;
  const last = messages.at(-1);
  if (!request.thinking.enabled) {
    if (last?.role !== 'assistant') return;
    const at = last.blocks.findIndex((block) => block.type === 'thinking' || block.type === 'redacted_thinking');
    if (at >= 0) throw invalid(`messages.${messages.length - 1}.content.${at}: When thinking is disabled, an \`assistant\` message in the final position cannot contain \`thinking\`. To use thinking blocks, enable \`thinking\` in your request.`);
    return;
  }
  const inToolLoop = last?.role === 'user' && last.blocks.some((block) => block.type === 'tool_result');
  if (!inToolLoop) return;
  const start = turnStart(messages);
  const first = messages.findIndex((message, index) => index > start && message.role === 'assistant');
  const opening = messages[first]?.blocks[0]?.type;
  if (first < 0 || opening === undefined || opening === 'thinking' || opening === 'redacted_thinking') return;
  throw invalid(`messages.${first}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${opening}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking`);
}

/** Signs thinking text with a secret made when the stand-in starts; checks what comes back. */
export class ThinkingSigner {
  private readonly secret = randomBytes(32);

  sign(thinking: string): string {
    return createHmac('sha256', this.secret).update(thinking, 'utf8').digest('base64');
  }

  verify(thinking: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(thinking), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** Refuses the first thinking block whose signature is not this stand-in's for its text. */
  checkSignatures(request: MessageRequest): void {
    request.messages.forEach((message, index) => {
      message.blocks.forEach((block, blockIndex) => {
        if (block.type !== 'thinking') return;
        const { thinking, signature } = block.body;
        if (typeof thinking === 'string' && typeof signature === 'string' && this.verify(thinking, signature)) return;
        throw invalid(`messages.${index}.content.${blockIndex}: Invalid \`signature\` in \`thinking\` block`);
      });
    });
  }
}
