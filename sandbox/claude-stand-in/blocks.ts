// Content blocks of a request as the Messages API checks them: the `type` tag, `cache_control`, each type's fields
// (image and document sources, tool_use, tool_result, thinking) and which role may send which block. Shapes follow
// the SDK's `ContentBlockParam` types; messages copy the API's ("Messages", "Vision", "PDF support", "Tool use"), and
// a message the docs do not give (a block in the wrong role) is the sandbox's own reading.
import { invalidRequest } from './errors.ts';
import { isObject, type CacheControl, type PromptBlock, type Role } from './prompt.ts';

/** Content block `type`s the Messages API accepts (the SDK's `ContentBlockParam` union). */
export const CONTENT_BLOCK_TYPES: readonly string[] = [
  'text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result',
  'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result', 'code_execution_tool_result',
  'bash_code_execution_tool_result', 'text_editor_code_execution_tool_result', 'tool_search_tool_result',
  'container_upload',
];

/** What a tool_result's `content` list may hold (`ToolResultBlockParam`). */
const TOOL_RESULT_CONTENT_TYPES: readonly string[] = ['text', 'image', 'search_result', 'document', 'tool_reference', 'browser_state'];

export const IMAGE_MEDIA_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** The per-image limit ("Vision": 5 MB an image through the API), measured on the base64 text as sent. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** Blocks only one role may send. */
const ROLE_OF: Readonly<Record<string, 'user' | 'assistant'>> = {
  tool_result: 'user',
  tool_use: 'assistant',
  thinking: 'assistant',
  redacted_thinking: 'assistant',
};

const invalid = invalidRequest;

export function cacheControlOf(value: unknown, path: string): CacheControl | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || value.type !== 'ephemeral') {
    throw invalid(`${path}.type: Input should be 'ephemeral'`);
  }
  const ttl = value.ttl ?? '5m';
  if (ttl !== '5m' && ttl !== '1h') throw invalid(`${path}.ttl: Input should be '5m' or '1h'`);
  return { type: 'ephemeral', ttl };
}

function tagError(path: string, found: unknown, expected: readonly string[]): Error {
  const tags = expected.map((t) => `'${t}'`).join(', ');
  return invalid(`${path}: Input tag '${String(found)}' found using 'type' does not match any of the expected tags: ${tags}`);
}

/** One content block of a message with `role`: its tag, its fields, its cache_control. */
export function blockOf(value: unknown, path: string, allowed: readonly string[], role: Role): PromptBlock {
  if (!isObject(value)) throw invalid(`${path}: Input should be a valid dictionary`);
  const { cache_control: cacheControlValue, ...body } = value;
  const type = body.type;
  if (typeof type !== 'string' || !allowed.includes(type)) throw tagError(path, type, allowed);
  const only = ROLE_OF[type];
  if (only !== undefined && role !== only) throw invalid(`${path}: \`${type}\` blocks may only be sent in \`${only}\` messages`);
  checkFields(type, body, `${path}.${type}`, role);
  const cacheControl = cacheControlOf(cacheControlValue, `${path}.cache_control`);
  return cacheControl ? { type, body, cacheControl } : { type, body };
}

function requireString(body: Record<string, unknown>, field: string, path: string): void {
  if (body[field] === undefined) throw invalid(`${path}.${field}: Field required`);
  if (typeof body[field] !== 'string') throw invalid(`${path}.${field}: Input should be a valid string`);
}

function checkFields(type: string, body: Record<string, unknown>, path: string, role: Role): void {
  switch (type) {
    case 'text':
      // `path` ends in the tag, `text`, which is also the field's name: `messages.0.content.0.text`.
      if (typeof body.text !== 'string') throw invalid(`${path}: Field required`);
      return;
    case 'image':
      return checkImageSource(body.source, `${path}.source`);
    case 'document':
      return checkDocument(body, path);
    case 'tool_use':
      requireString(body, 'id', path);
      requireString(body, 'name', path);
      if (!isObject(body.input)) throw invalid(`${path}.input: Input should be a valid dictionary`);
      return;
    case 'tool_result':
      return checkToolResult(body, path, role);
    case 'thinking':
      requireString(body, 'thinking', path);
      requireString(body, 'signature', path);
      return;
    case 'redacted_thinking':
      requireString(body, 'data', path);
      return;
    default:
      return;
  }
}

function checkImageSource(source: unknown, path: string): void {
  if (!isObject(source)) throw invalid(`${path}: Field required`);
  if (source.type === 'url' || source.type === 'file') return;
  if (source.type !== 'base64') throw tagError(path, source.type, ['base64', 'url', 'file']);
  if (typeof source.media_type !== 'string' || !IMAGE_MEDIA_TYPES.includes(source.media_type)) {
    throw invalid(`${path}.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`);
  }
  requireString(source, 'data', `${path}.base64`);
  const size = (source.data as string).length;
  if (size > MAX_IMAGE_BYTES) throw invalid(`${path}.base64: image exceeds 5 MB maximum: ${size} bytes > ${MAX_IMAGE_BYTES} bytes`);
}

function checkDocument(body: Record<string, unknown>, path: string): void {
  const source = body.source;
  if (!isObject(source)) throw invalid(`${path}.source: Field required`);
  const sourcePath = `${path}.source`;
  if (source.type === 'base64') {
    if (source.media_type !== 'application/pdf') throw invalid(`${sourcePath}.base64.media_type: Input should be 'application/pdf'`);
    requireString(source, 'data', `${sourcePath}.base64`);
  } else if (source.type === 'text') {
    if (source.media_type !== 'text/plain') throw invalid(`${sourcePath}.text.media_type: Input should be 'text/plain'`);
    requireString(source, 'data', `${sourcePath}.text`);
  } else if (source.type !== 'content' && source.type !== 'url' && source.type !== 'file') {
    throw tagError(sourcePath, source.type, ['base64', 'text', 'content', 'url', 'file']);
  }
  const citations = body.citations;
  if (citations !== undefined && citations !== null && (!isObject(citations) || (citations.enabled !== undefined && typeof citations.enabled !== 'boolean'))) {
    throw invalid(`${path}.citations.enabled: Input should be a valid boolean`);
  }
  if (body.title !== undefined && body.title !== null && typeof body.title !== 'string') throw invalid(`${path}.title: Input should be a valid string`);
}

function checkToolResult(body: Record<string, unknown>, path: string, role: Role): void {
  requireString(body, 'tool_use_id', path);
  const content = body.content;
  if (content === undefined || typeof content === 'string') return;
  if (!Array.isArray(content)) throw invalid(`${path}.content: Input should be a valid string or list`);
  content.forEach((item, index) => blockOf(item, `${path}.content.${index}`, TOOL_RESULT_CONTENT_TYPES, role));
}

/** An image or document sent as data: what the stand-in mentions in its reply. */
export interface Attachment {
  kind: 'image' | 'document';
  mediaType: string;
  /** Decoded size: base64 decoded, or a text source's UTF-8 bytes. */
  bytes: number;
}

/** The attachment a block carries, when its source is data (a URL or file id carries none the stand-in can read). */
export function attachmentOf(block: PromptBlock): Attachment | undefined {
  if (block.type !== 'image' && block.type !== 'document') return undefined;
  const source = block.body.source;
  if (!isObject(source) || typeof source.data !== 'string' || typeof source.media_type !== 'string') return undefined;
  const bytes = source.type === 'base64' ? Buffer.from(source.data, 'base64').length : Buffer.byteLength(source.data, 'utf8');
  return { kind: block.type, mediaType: source.media_type, bytes };
}
