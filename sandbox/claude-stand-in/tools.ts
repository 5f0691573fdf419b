// Tool use in a request, checked as the Messages API checks it ("Tool use with Claude"): `tools` (names by pattern and
// unique, an object `input_schema`), `tool_choice`, and the pairing of a conversation's tool_use and tool_result blocks.
// The pairing messages are the API's own; the checks of a tool's fields word theirs as the API's validator words others.
import { invalidRequest } from './errors.ts';
import { cacheControlOf } from './blocks.ts';
import { isObject, type PromptBlock, type PromptMessage, type ToolChoiceSetting } from './prompt.ts';

/** A custom tool's name (the SDK's `Tool.name`: letters, digits, `_` and `-`, at most 128). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

const invalid = invalidRequest;

function customToolOf(body: Record<string, unknown>, path: string): void {
  if (body.name === undefined) throw invalid(`${path}.name: Field required`);
  if (typeof body.name !== 'string' || !TOOL_NAME.test(body.name)) {
    throw invalid(`${path}.name: String should match pattern '${TOOL_NAME.source}'`);
  }
  const schema = body.input_schema;
  if (schema === undefined) throw invalid(`${path}.input_schema: Field required`);
  if (!isObject(schema)) throw invalid(`${path}.input_schema: Input should be a valid dictionary`);
  if (schema.type !== 'object') throw invalid(`${path}.input_schema.type: Input should be 'object'`);
}

/** `tools`: custom tools checked in full; server tools (a dated `type`) only named. */
export function toolsOf(value: unknown): PromptBlock[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('tools: Input should be a valid list');
  const tools = value.map((tool, index): PromptBlock => {
    if (!isObject(tool)) throw invalid(`tools.${index}: Input should be a valid dictionary`);
    const { cache_control: cacheControlValue, ...body } = tool;
    const type = typeof body.type === 'string' ? body.type : 'custom';
    if (type === 'custom') customToolOf(body, `tools.${index}.custom`);
    else if (typeof body.name !== 'string') throw invalid(`tools.${index}.name: Field required`);
    const cacheControl = cacheControlOf(cacheControlValue, `tools.${index}.cache_control`);
    return cacheControl ? { type, body, cacheControl } : { type, body };
  });
  const names = tools.map((tool) => tool.body.name);
  if (new Set(names).size !== names.length) throw invalid('tools: Tool names must be unique.');
  return tools;
}

export function toolChoiceOf(value: unknown): ToolChoiceSetting {
  if (value === undefined || value === null) return { type: 'auto' };
  if (!isObject(value)) throw invalid('tool_choice: Input should be a valid dictionary');
  switch (value.type) {
    case 'auto':
    case 'any':
    case 'none':
      return { type: value.type };
    case 'tool':
      if (typeof value.name !== 'string') throw invalid('tool_choice.tool.name: Field required');
      return { type: 'tool', name: value.name };
    default:
      throw invalid(`tool_choice: Input tag '${String(value.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`);
  }
}

/** The names a request's tools may be called by. */
export function toolNames(tools: readonly PromptBlock[]): string[] {
  return tools.map((tool) => tool.body.name).filter((name): name is string => typeof name === 'string');
}

function toolUseIds(message: PromptMessage | undefined): string[] {
  if (message?.role !== 'assistant') return [];
  return message.blocks.flatMap((block) => (block.type === 'tool_use' && typeof block.body.id === 'string' ? [block.body.id] : []));
}

/**
 * Every tool_result answers a tool_use of the message just before it; every tool_use is answered in the message just
 * after it, and those tool_result blocks open that message.
 */
export function checkToolPairs(messages: readonly PromptMessage[]): void {
  messages.forEach((message, index) => {
    if (message.role === 'user') checkResults(message, index, toolUseIds(messages[index - 1]));
  });
  messages.forEach((message, index) => {
    const ids = toolUseIds(message);
    if (ids.length === 0) return;
    const next = messages[index + 1];
    const answered = new Set(next?.role === 'user' ? next.blocks.flatMap((block) => (block.type === 'tool_result' ? [block.body.tool_use_id] : [])) : []);
    const missing = ids.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      throw invalid(`messages.${index}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
    }
    const leading = next?.blocks.findIndex((block) => block.type !== 'tool_result') ?? -1;
    if (leading >= 0 && leading < ids.length) {
      throw invalid(`messages.${index + 1}: Did not find ${ids.length} \`tool_result\` block(s) at the beginning of this message. Messages following \`tool_use\` blocks must begin with a matching number of \`tool_result\` blocks.`);
    }
  });
}

function checkResults(message: PromptMessage, index: number, ids: readonly string[]): void {
  message.blocks.forEach((block, blockIndex) => {
    if (block.type !== 'tool_result') return;
    const id = String(block.body.tool_use_id);
    if (!ids.includes(id)) {
      throw invalid(`messages.${index}.content.${blockIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
    }
  });
}
