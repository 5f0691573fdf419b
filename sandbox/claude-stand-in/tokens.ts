// Token arithmetic of the stand-in: text split into token-sized pieces, and input sizes estimated from characters.
// Images and PDFs are estimated as Anthropic's "Vision" and "PDF support" pages describe (pixels / 750, at most about
// 1,600 an image; about 1,500 a PDF page); the rest counts the text it carries.
import { isObject, promptBlocks, type MessageRequest, type PromptBlock } from './prompt.ts';

/** Roughly 4 characters a token, the rule of thumb Anthropic's token-counting docs give for English. */
export const CHARS_PER_TOKEN = 4;

const MAX_IMAGE_TOKENS = 1600;
const PDF_PAGE_TOKENS = 1500;

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

/** Width and height from a PNG or GIF header; undefined for other formats. */
function imageSize(bytes: Buffer): [number, number] | undefined {
  if (bytes.length >= 24 && bytes.toString('latin1', 1, 4) === 'PNG') return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  if (bytes.length >= 10 && bytes.toString('latin1', 0, 3) === 'GIF') return [bytes.readUInt16LE(6), bytes.readUInt16LE(8)];
  return undefined;
}

function imageTokens(source: Record<string, unknown>): number {
  if (source.type !== 'base64' || typeof source.data !== 'string') return MAX_IMAGE_TOKENS;
  const size = imageSize(Buffer.from(source.data.slice(0, 64), 'base64'));
  return size ? Math.min(MAX_IMAGE_TOKENS, Math.max(1, Math.ceil((size[0] * size[1]) / 750))) : MAX_IMAGE_TOKENS;
}

function documentTokens(source: Record<string, unknown>): number {
  if (typeof source.data !== 'string') return PDF_PAGE_TOKENS;
  if (source.type === 'text') return estimateTokens(source.data);
  const pages = Buffer.from(source.data, 'base64').toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 1;
  return Math.max(1, pages) * PDF_PAGE_TOKENS;
}

function bodyTokens(body: Record<string, unknown>): number {
  const source = isObject(body.source) ? body.source : {};
  switch (body.type) {
    case 'text':
      return typeof body.text === 'string' ? estimateTokens(body.text) : 0;
    case 'image':
      return imageTokens(source);
    case 'document':
      return documentTokens(source);
    case 'thinking':
      return estimateTokens(String(body.thinking));
    case 'tool_use':
      return estimateTokens(`${String(body.name)}${JSON.stringify(body.input)}`);
    case 'tool_result':
      if (Array.isArray(body.content)) return body.content.reduce((sum: number, item) => sum + (isObject(item) ? bodyTokens(item) : 0), 0);
      return estimateTokens(typeof body.content === 'string' ? body.content : '');
    default:
      return estimateTokens(JSON.stringify(body));
  }
}

/** A text block counts its text; an image or PDF its estimate; tools and others their JSON. */
export function blockTokens(block: PromptBlock): number {
  return bodyTokens(block.body);
}

/** All input tokens of a request, cached or not: what count_tokens answers. */
export function promptTokens(request: MessageRequest): number {
  return promptBlocks(request).reduce((sum, block) => sum + blockTokens(block), 0);
}
