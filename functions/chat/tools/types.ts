// Server tools: what the chat function runs in the model's tool loop (reply.ts). A tool is declared in infra/
// (infra/tools.ts, validated at synth), reaches the function's bundle as its catalog (catalog.ts), and runs as the
// user who sent the message: a GraphQL tool calls this API with that user's own token, so AppSync's checks and the
// resolvers' keys (every key starts with the caller's sub) bound what it can read.

/** A JSON Schema for a tool's input: an object schema, as the Messages API requires (`input_schema`). */
export interface InputSchema {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  [keyword: string]: unknown;
}

/** A tool as the model is told about it (the Messages API's `tools[]`). */
export interface ToolDefinition {
  name: string;
  description: string;
  input_schema: InputSchema;
}

/** What a tool run knows about the turn. */
export interface ToolContext {
  /** The Cognito sub of the user who sent the message. */
  owner: string;
  /**
   * The user's own token (the `authorization` header sendMessage was called with), for tools that call the API as
   * the user. Never logged and never stored: it lives in the invocation payload and this object only.
   */
  userToken: string | undefined;
  /** This API's GraphQL endpoint. */
  graphqlUrl: string;
  /** Aborted when the reply is stopped or its deadline passes: a tool should give up then. */
  signal: AbortSignal;
  now: () => number;
}

/** A tool the function runs. `run` resolves with the output (any JSON value) or throws (a ToolError for a message the model should read). */
export interface ServerTool {
  definition: ToolDefinition;
  run(input: Record<string, unknown>, context: ToolContext): Promise<unknown>;
}

/** A failure the model is told about, as a tool_result with is_error: true. */
export class ToolError extends Error {
  readonly errorType = 'ToolError';
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** One finished tool call, as stored in the reply's TOOL_RESULT block and sent back to the model. */
export interface ToolOutcome {
  /** Any JSON value; on error, `{ error: "<message>" }`. */
  output: unknown;
  isError: boolean;
}

/** The set of tools a reply may call: its definitions for the request, and one entry point that never throws. */
export interface ToolRunner {
  definitions: ToolDefinition[];
  /** Validates the input against the tool's schema, runs it within its time limit, caps its output; never throws. */
  run(call: { id: string; name: string; input: unknown }, context: ToolContext): Promise<ToolOutcome>;
}

/** The tools shipped in the function itself, by name (builtin/). */
export const BUILTIN_TOOL_NAMES = ['current_time'] as const;
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

/** A builtin tool: its definition and code are in the function (builtin/). */
export interface BuiltinToolSpec {
  kind: 'builtin';
  name: BuiltinToolName;
}

/** A GraphQL query against this API, run as the user who sent the message with the tool's input as its variables. */
export interface GraphqlToolSpec {
  kind: 'graphql';
  name: string;
  description: string;
  inputSchema: InputSchema;
  /** One `query` operation (fragments allowed); its variables are the input schema's properties. */
  document: string;
}

/**
 * A function of the stack, invoked (RequestResponse) with `{ tool, input, owner }` and answering with the output; its
 * name reaches the chat function in the environment variable `lambdaToolVariable(name)`. `entry` is its handler's
 * source file, relative to the repository (infra/functions.ts bundles it and grants the chat function invoke on it).
 */
export interface LambdaToolSpec {
  kind: 'lambda';
  name: string;
  description: string;
  inputSchema: InputSchema;
  entry: string;
}

/** The environment variable holding a Lambda tool's function name: TOOL_FUNCTION_ and the name in capitals. */
export function lambdaToolVariable(name: string): string {
  return `TOOL_FUNCTION_${name.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * One tool of the catalog: declared in infra/tools.ts, validated at synth, and carried in the chat function's bundle
 * (catalog.ts). A new kind adds a member here, a check in infra/tools.ts and a case in catalog.ts's `serverToolOf`.
 */
export type ToolSpec = BuiltinToolSpec | GraphqlToolSpec | LambdaToolSpec;
