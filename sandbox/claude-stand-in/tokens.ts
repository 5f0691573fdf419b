// Token arithmetic of the stand-in: text split into token-sized pieces, and input sizes estimated from characters.
import { promptBlocks, type MessageRequest, type PromptBlock } from './validate.ts';

/** Roughly 4 characters a token, the rule of thumb Anthropic's token-counting docs give for English. */
export const CHARS_PER_TOKEN = 4;

/**
 * Splits text into pieces of one word or sub-word each, leading space attached, so that
 * `pieces.join('') === text`. Long words become several pieces as a tokenizer would split them.
 */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S{1,6}|\s+/g) ?? [];
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** A text block counts its text; any other block (tool, image, tool_result) its JSON. */
export function blockTokens(block: PromptBlock): number {
  const text = block.body.text;
  return estimateTokens(block.type === 'text' && typeof text === 'string' ? text : JSON.stringify(block.body));
}

/** All input tokens of a request, cached or not: what count_tokens answers. */
export function promptTokens(request: MessageRequest): number {
  return promptBlocks(request).reduce((sum, block) => sum + blockTokens(block), 0);
}
