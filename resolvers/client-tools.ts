// Client tools: tools a front end runs itself (docs/architecture.md, "Client tools"). sendMessage checks them here,
// before anything is written, as the Messages API would check a request's `tools`; the reply item keeps them for
// every model call of the reply, and submitToolResult brings back what they gave.
import { util } from '@aws-appsync/utils';
import type { ClientToolInput } from './schema-types.ts';

export const MAX_CLIENT_TOOLS = 20;
export const MAX_TOOL_DESCRIPTION_CHARS = 1024;
/** The JSON of one input schema; the model reads it with every call. */
export const MAX_INPUT_SCHEMA_CHARS = 16000;
/** The JSON of one result, as the chat function caps a server tool's output (functions/chat/tools/runner.ts). */
export const MAX_TOOL_RESULT_CHARS = 16000;

/** A client tool as the reply item keeps it: its input schema as JSON text. */
export interface StoredClientTool {
  name: string;
  description: string;
  inputSchema: string;
}

/** The tools of sendMessage's input, checked; [] when none. `serverTools` are the API's own tool names (SERVER_TOOLS). */
export function checkClientTools(tools: ClientToolInput[] | null | undefined, serverTools: string[]): StoredClientTool[] {
  if (tools === null || tools === undefined) return [];
  if (tools.length > MAX_CLIENT_TOOLS) util.error(`clientTools has ${tools.length} tools; the limit is ${MAX_CLIENT_TOOLS}.`, 'ValidationError');
  const names: string[] = [];
  return tools.map((tool, position) => {
    const where = `clientTools[${position}]`;
    if (!util.matches('[a-zA-Z0-9_-]{1,64}', tool.name)) {
      util.error(`${where}.name '${tool.name}' must be 1 to 64 letters, digits, '_' or '-'.`, 'ValidationError');
    }
    if (serverTools.includes(tool.name)) util.error(`${where}.name '${tool.name}' is a tool of the API itself; choose another name.`, 'ValidationError');
    if (names.includes(tool.name)) util.error(`${where}.name '${tool.name}' is given twice; tool names must be unique.`, 'ValidationError');
    names.push(tool.name);
    const description = tool.description.trim();
    if (description.length === 0 || description.length > MAX_TOOL_DESCRIPTION_CHARS) {
      util.error(`${where}.description must be 1 to ${MAX_TOOL_DESCRIPTION_CHARS} characters.`, 'ValidationError');
    }
    // AWSJSON arrives parsed.
    const schema = tool.inputSchema as unknown as Record<string, unknown> | null;
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema) || schema.type !== 'object') {
      util.error(`${where}.inputSchema must be a JSON Schema object whose type is "object", as the Messages API requires.`, 'ValidationError');
    }
    const inputSchema = JSON.stringify(schema);
    if (inputSchema.length > MAX_INPUT_SCHEMA_CHARS) {
      util.error(`${where}.inputSchema is ${inputSchema.length} characters of JSON; the limit is ${MAX_INPUT_SCHEMA_CHARS}.`, 'ValidationError');
    }
    return { name: tool.name, description, inputSchema };
  });
}

/** The API's own tool names, from the SERVER_TOOLS variable infra/ sets (comma-separated). */
export function serverToolNames(env: Record<string, string | undefined>): string[] {
  const list = env.SERVER_TOOLS ?? '';
  return list === '' ? [] : list.split(',');
}
