// The server tools the chat function offers the model (functions/chat/tools/): declared here, checked at synth (a bad
// declaration fails the synth with what to fix), and written into the function's bundle (infra/functions.ts).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import {
  buildSchema, GraphQLError, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, Kind, OperationTypeNode, parse, stripIgnoredCharacters,
  typeFromAST, validate, type DocumentNode, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { inputCheck, SCHEMA_DRAFT } from '../functions/chat/tools/input-schema.ts';
import { BUILTIN_TOOL_NAMES, lambdaToolVariable, type GraphqlToolSpec, type InputSchema, type ToolSpec } from '../functions/chat/tools/types.ts';

/** A tool as a stage declares it: the catalog's entry types (functions/chat/tools/types.ts). */
export type ToolConfig = ToolSpec;

/** Tools every stage offers: the clock, two reads of the user's own data through this API, and a unit converter run as its own Lambda function. */
export const DEFAULT_TOOLS: readonly ToolConfig[] = [
  { kind: 'builtin', name: 'current_time' },
  {
    kind: 'graphql',
    name: 'list_recent_conversations',
    description: 'The user\'s most recently updated conversations in this chat app (id, title, last update), newest first.',
    inputSchema: {
      type: 'object',
      properties: { limit: { type: 'integer', minimum: 1, maximum: 20, description: 'How many conversations to list (default 20).' } },
      additionalProperties: false,
    },
    document: 'query ListRecentConversations($limit: Int) { listConversations(limit: $limit) { items { id title updatedAt } } }',
  },
  {
    kind: 'graphql',
    name: 'get_usage',
    description: 'The user\'s token usage today (UTC) in this chat app, the daily quota and how much of it remains.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    document: 'query GetUsage { usage { date inputTokens outputTokens quota remaining } }',
  },
  {
    kind: 'lambda',
    name: 'convert_units',
    description: 'Converts a quantity between units of length (mm, cm, m, km, in, ft, yd, mi), mass (g, kg, oz, lb) or temperature (C, F, K).',
    inputSchema: {
      type: 'object',
      properties: {
        value: { type: 'number', description: 'The quantity to convert.' },
        from: { type: 'string', description: 'Its unit, e.g. km, lb or F.' },
        to: { type: 'string', description: 'The unit wanted.' },
      },
      required: ['value', 'from', 'to'],
      additionalProperties: false,
    },
    entry: 'functions/tools/convert-units.ts',
  },
];

export class ToolConfigError extends Error {
  readonly errorType = 'ToolConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ToolConfigError';
  }
}

/** The Messages API's rule for a tool's name (Anthropic's "Tool use" pages, `tools[].name`). */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const SCHEMA_SOURCE = [
  fileURLToPath(new URL('../sandbox/appsync/aws-definitions.graphql', import.meta.url)),
  fileURLToPath(new URL('../schema.graphql', import.meta.url)),
];

/** schema.graphql in AppSync's dialect (the AWS scalars and @aws_* directives declared first, as codegen.yml reads it). */
export function apiSchema(): GraphQLSchema {
  return buildSchema(SCHEMA_SOURCE.map((path) => readFileSync(path, 'utf8')).join('\n'));
}

const JSON_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'];
const COUNT = { type: 'integer', minimum: 0 };
const NUMBER = { type: 'number' };
const SUBSCHEMA = { $ref: '#/$defs/schema' };
const SCHEMAS = { type: 'array', minItems: 1, items: SUBSCHEMA };

/**
 * The JSON Schema keywords a tool's input schema may use, each with the shape it must have: the validation
 * vocabulary tool inputs need. An unknown keyword is refused rather than ignored, so a typo (`requried`) fails the
 * synth instead of silently accepting any input. `$ref` is not among them: a tool's input schema is written inline.
 */
const INPUT_META_SCHEMA: Schema = {
  $defs: {
    schema: {
      type: 'object',
      properties: {
        $schema: { type: 'string' }, $comment: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' },
        type: { anyOf: [{ enum: JSON_TYPES }, { type: 'array', items: { enum: JSON_TYPES }, minItems: 1, uniqueItems: true }] },
        enum: { type: 'array', minItems: 1 }, const: true, default: true, examples: { type: 'array' },
        properties: { type: 'object', additionalProperties: SUBSCHEMA },
        required: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        additionalProperties: { anyOf: [{ type: 'boolean' }, SUBSCHEMA] },
        minProperties: COUNT, maxProperties: COUNT,
        items: SUBSCHEMA, minItems: COUNT, maxItems: COUNT, uniqueItems: { type: 'boolean' },
        minLength: COUNT, maxLength: COUNT, pattern: { type: 'string', format: 'regex' }, format: { type: 'string' },
        minimum: NUMBER, maximum: NUMBER, exclusiveMinimum: NUMBER, exclusiveMaximum: NUMBER, multipleOf: { type: 'number', exclusiveMinimum: 0 },
        anyOf: SCHEMAS, oneOf: SCHEMAS, allOf: SCHEMAS, not: SUBSCHEMA,
      },
      additionalProperties: false,
    },
  },
  $ref: '#/$defs/schema',
};

const metaValidator = new Validator(INPUT_META_SCHEMA, SCHEMA_DRAFT, false);

/** `#/properties/limit/type` -> `.properties.limit.type`. */
const pointerPath = (location: string): string => location.replace(/^#/, '').split('/').filter(Boolean).map((s) => `.${s.replaceAll('~1', '/').replaceAll('~0', '~')}`).join('');

/** One meta-schema error in words, or undefined for an error that only wraps a nested one (reported on its own). */
function metaProblem(unit: OutputUnit): string | undefined {
  const where = `inputSchema${pointerPath(unit.instanceLocation)}`;
  const quoted = /"([^"]*)"/.exec(unit.error)?.[1];
  const types = /^Instance type "([^"]+)" is invalid\. Expected "([^"]+)"\.$/.exec(unit.error);
  // The keyword-level additionalProperties (right under the $ref to the schema definition) is an unknown keyword;
  // the one of the `properties` map only wraps the failure of a property's schema.
  if (unit.keyword === 'additionalProperties') {
    if (!unit.keywordLocation.endsWith('/$ref/additionalProperties')) return undefined;
    return `${where}: '${quoted}' is not a JSON Schema keyword a tool's input schema may use${quoted?.startsWith('$') ? ' (write the schema inline, without references)' : ''}`;
  }
  if (['$ref', 'properties', 'items', 'false'].includes(unit.keyword) || /\/anyOf\/\d+\//.test(unit.keywordLocation)) return undefined;
  if (unit.keyword === 'anyOf') return where.endsWith('.type') ? `${where} must be one of ${JSON_TYPES.join(', ')}, or a list of them` : `${where} must be true, false or a schema`;
  if (unit.keyword === 'format' && where.endsWith('.pattern')) return `${where} is not a regular expression JavaScript accepts with the u flag`;
  if (unit.keyword === 'type' && types) return `${where} must be ${types[2]}, not ${types[1]}`;
  return `${where}: ${unit.error.replace(/^Instance /, '').replace(/\.$/, '')}`;
}

/** What is wrong with an input schema, each as `inputSchema.<where>: <what>`; empty when it is fine. */
export function inputSchemaProblems(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return ['inputSchema must be a JSON Schema object such as { type: \'object\', properties: {...} }'];
  const problems: string[] = [];
  if ((schema as { type?: unknown }).type !== 'object') problems.push('inputSchema.type must be \'object\' (the Messages API takes an object schema as input_schema)');
  for (const unit of metaValidator.validate(schema).errors) {
    const problem = metaProblem(unit);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) return problems;
  const { properties = {}, required = [] } = schema as InputSchema;
  for (const name of required) if (!Object.hasOwn(properties, name)) problems.push(`inputSchema.required lists '${name}', which is not in inputSchema.properties`);
  // The function compiles the schema with the same validator and draft (functions/chat/tools/input-schema.ts).
  try {
    inputCheck(schema as InputSchema)({});
  } catch (error) {
    problems.push(`inputSchema cannot be compiled: ${error instanceof Error ? error.message : String(error)}`);
  }
  return problems;
}

/** The JSON types an input property may have to be sent as a variable of this GraphQL type (null aside). */
function jsonTypesFor(type: GraphQLInputType): string[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return ['array'];
  if (isInputObjectType(inner)) return ['object'];
  if (isEnumType(inner) || !isScalarType(inner)) return ['string'];
  const byScalar: Record<string, string[]> = { Int: ['integer'], AWSTimestamp: ['integer'], Float: ['number', 'integer'], Boolean: ['boolean'], ID: ['string', 'integer'] };
  return byScalar[inner.name] ?? ['string'];
}

/** One variable against its input property: present, required exactly when non-null, of a type that coerces. */
function variableProblems(name: string, type: GraphQLInputType, hasDefault: boolean, input: InputSchema): string[] {
  const property = input.properties?.[name] as { type?: unknown } | undefined;
  if (property === undefined) return [`$${name} (${String(type)}) has no property in inputSchema.properties: each variable is an input, so add '${name}'`];
  const problems: string[] = [];
  const required = input.required?.includes(name) ?? false;
  if (isNonNullType(type) && !hasDefault && !required) problems.push(`$${name} is ${String(type)} (non-null), so inputSchema.required must list '${name}'`);
  if (required && !isNonNullType(type)) problems.push(`inputSchema.required lists '${name}', but $${name} is ${String(type)}, which may be null: declare it ${String(type)}! or leave it out of required`);
  const allowed = jsonTypesFor(type);
  for (const declared of property.type === undefined ? [] : [property.type].flat() as string[]) {
    if (declared === 'null' ? isNonNullType(type) : !allowed.includes(declared)) {
      problems.push(`inputSchema.properties.${name}.type includes '${declared}', but $${name} is ${String(type)}: use ${allowed.map((t) => `'${t}'`).join(' or ')}`);
    }
  }
  return problems;
}

/** The operation's variables against the input schema's properties, both ways. */
function variablesProblems(operation: OperationDefinitionNode, input: InputSchema, schema: GraphQLSchema): string[] {
  const definitions = operation.variableDefinitions ?? [];
  const problems = definitions.flatMap((definition) => {
    // validate() has passed: every variable's type exists and is an input type.
    const type = typeFromAST(schema, definition.type) as GraphQLInputType;
    return variableProblems(definition.variable.name.value, type, definition.defaultValue !== undefined, input);
  });
  const variables = new Set(definitions.map((definition) => definition.variable.name.value));
  for (const name of Object.keys(input.properties ?? {})) {
    if (!variables.has(name)) problems.push(`inputSchema.properties.${name} is not a variable of the query: declare $${name} or remove the property`);
  }
  if (input.additionalProperties !== false) problems.push('inputSchema.additionalProperties must be false: the input is sent as the query\'s variables, and nothing else may be');
  return problems;
}

const at = (error: GraphQLError): string => (error.locations?.[0] ? ` (line ${error.locations[0].line}, column ${error.locations[0].column})` : '');

/** What is wrong with a GraphQL tool's document, against schema.graphql and against its input schema. */
export function documentProblems(tool: Pick<GraphqlToolSpec, 'document' | 'inputSchema'>, schema: GraphQLSchema): string[] {
  if (typeof tool.document !== 'string' || tool.document.trim() === '') return ['document must be a GraphQL query against schema.graphql'];
  let document: DocumentNode;
  try {
    document = parse(tool.document);
  } catch (error) {
    return [`document does not parse: ${error instanceof GraphQLError ? `${error.message}${at(error)}` : String(error)}`];
  }
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const [operation] = operations;
  if (operations.length !== 1 || !operation) return [`document must hold exactly one operation; it holds ${operations.length}`];
  if (operation.operation !== OperationTypeNode.QUERY) return [`document is a ${operation.operation}: a tool may only read, so its operation must be a query`];
  const errors = validate(schema, document);
  if (errors.length > 0) return errors.map((error) => `document is not valid against schema.graphql: ${error.message}${at(error)}`);
  return variablesProblems(operation, tool.inputSchema, schema);
}

/** What is wrong with one declared tool; `taken` holds the names of the tools before it. */
function toolProblems(tool: ToolConfig, schema: GraphQLSchema, taken: ReadonlySet<string>): string[] {
  if (typeof tool !== 'object' || tool === null) return ['must be an object: { kind: \'builtin\', name } or { kind: \'graphql\', name, description, inputSchema, document }'];
  // Declared in TypeScript, but checked as any value: a JavaScript caller or a cast can hand over anything.
  const { kind, name, description, inputSchema, document } = tool as unknown as Record<string, unknown>;
  if (typeof name !== 'string' || !TOOL_NAME.test(name)) return [`name ${JSON.stringify(name)} must match ${TOOL_NAME.source} (the Messages API's rule for tool names)`];
  if (taken.has(name)) return [`name '${name}' is already the name of an earlier tool: tool names must be unique`];
  if (kind === 'builtin') {
    return (BUILTIN_TOOL_NAMES as readonly string[]).includes(name) ? [] : [`there is no builtin tool '${name}'; the builtins are: ${BUILTIN_TOOL_NAMES.join(', ')}`];
  }
  if (kind !== 'graphql' && kind !== 'lambda') return [`kind ${JSON.stringify(kind)} is not a tool kind: use 'builtin', 'graphql' or 'lambda'`];
  const problems: string[] = [];
  if (typeof description !== 'string' || description.trim() === '') problems.push('description must say what the tool gives the model (a non-empty string)');
  const schemaProblems = inputSchemaProblems(inputSchema);
  if (kind === 'lambda') {
    const { entry } = tool as unknown as Record<string, unknown>;
    if (typeof entry !== 'string' || !existsSync(fileURLToPath(new URL(`../${entry}`, import.meta.url)))) {
      problems.push(`entry ${JSON.stringify(entry)} must be the handler's source file, relative to the repository (e.g. 'functions/tools/convert-units.ts'), and exist`);
    }
    return [...problems, ...schemaProblems];
  }
  // The variables are checked against the input schema only once it is one.
  if (schemaProblems.length > 0) return [...problems, ...schemaProblems];
  return [...problems, ...documentProblems({ document: document as string, inputSchema: inputSchema as InputSchema }, schema)];
}

/** The catalog entry as the function reads it: the known fields only, the document without ignored characters. */
function catalogEntry(tool: ToolConfig): ToolSpec {
  if (tool.kind === 'builtin') return { kind: tool.kind, name: tool.name };
  if (tool.kind === 'lambda') return { kind: tool.kind, name: tool.name, description: tool.description.trim(), inputSchema: tool.inputSchema, entry: tool.entry };
  return { kind: tool.kind, name: tool.name, description: tool.description.trim(), inputSchema: tool.inputSchema, document: stripIgnoredCharacters(tool.document) };
}

/**
 * Checks the declared tools and returns the catalog for the chat function's bundle; throws a ToolConfigError naming
 * every problem and what to do about it. `schema` is schema.graphql unless a test gives another.
 */
export function validateTools(tools: readonly ToolConfig[], schema: GraphQLSchema = apiSchema()): ToolSpec[] {
  const taken = new Set<string>();
  const problems = tools.flatMap((tool, index) => {
    const found = toolProblems(tool, schema, taken);
    const name = (tool as { name?: unknown } | null)?.name;
    if (typeof name === 'string') taken.add(name);
    return found.map((problem) => `tools[${index}]${typeof name === 'string' ? ` (${name})` : ''}: ${problem}`);
  });
  if (problems.length > 0) {
    throw new ToolConfigError(`The chat function's tools (infra/tools.ts) are not valid:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  }
  return tools.map(catalogEntry);
}

/** The global the chat function reads its catalog from (functions/chat/tools/catalog.ts). */
export const CATALOG_GLOBAL = '__CHAT_TOOLS__';

/** esbuild's `define` for the chat function: the catalog as a JSON literal in the bundle (not the 4 KB environment). */
export function toolsDefine(catalog: readonly ToolSpec[]): Record<string, string> {
  return { [CATALOG_GLOBAL]: JSON.stringify(catalog) };
}

/**
 * Environment variables the catalog's tools need in the chat function: a Lambda tool's function name, under
 * lambdaToolVariable(name) (infra/functions.ts creates the function and passes its name). Builtin and GraphQL tools
 * need none.
 */
export function toolEnvironment(catalog: readonly ToolSpec[], functionNames: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries(catalog.flatMap((tool) => (tool.kind === 'lambda' ? [[lambdaToolVariable(tool.name), functionNames.get(tool.name) ?? '']] : [])));
}
