// The chat function's tool configuration at synth: a bad declaration fails with what to fix, the defaults pass, and
// the validated catalog reaches the function's bundle (esbuild's define) with TOOL_MAX_ITERATIONS in its environment.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../../infra/app.ts';
import { stageConfig, STAGES } from '../../../infra/config.ts';
import { ChatApiStack } from '../../../infra/stack.ts';
import { DEFAULT_TOOLS, ToolConfigError, toolsDefine, validateTools, type ToolConfig } from '../../../infra/tools.ts';
import type { GraphqlToolSpec, InputSchema } from '../../../functions/chat/tools/types.ts';
import { buildStage, lambdaOf, statementsOf, testEntries, type SynthesizedStage } from './synth.ts';
import { fixtureApp } from '../../support/fixture-app.ts';

const TOOLS_HANDLER = fileURLToPath(new URL('./fixtures/tools-handler.ts', import.meta.url));
const folders: string[] = [];
const stages: SynthesizedStage[] = [];

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  for (const stage of stages) stage.dispose();
});

const LIMIT_SCHEMA: InputSchema = { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } }, additionalProperties: false };

function graphqlTool(overrides: Partial<GraphqlToolSpec> = {}): GraphqlToolSpec {
  return {
    kind: 'graphql',
    name: 'list_things',
    description: 'Lists things.',
    inputSchema: LIMIT_SCHEMA,
    document: 'query L($limit: Int) { listConversations(limit: $limit) { items { id } } }',
    ...overrides,
  };
}

/** The message validateTools throws for these tools (it fails the test if nothing is thrown). */
function refusal(tools: readonly unknown[]): string {
  try {
    validateTools(tools as ToolConfig[]);
  } catch (error) {
    expect(error).toBeInstanceOf(ToolConfigError);
    return (error as Error).message;
  }
  throw new Error('validateTools accepted the tools');
}

describe('the default tools', () => {
  it('pass the checks, each as the function will read it', () => {
    const catalog = validateTools(DEFAULT_TOOLS);

    expect(catalog.map((tool) => tool.name)).toEqual(['current_time', 'list_recent_conversations', 'get_usage', 'convert_units']);
    expect(catalog[1]).toMatchObject({ kind: 'graphql', document: 'query ListRecentConversations($limit:Int){listConversations(limit:$limit){items{id title updatedAt}}}' });
  });

  it('are the tools of both stages', () => {
    const { node } = new App();

    for (const stage of STAGES) expect(stageConfig(stage, node).tools).toBe(DEFAULT_TOOLS);
  });
});

describe('a tool refused at synth', () => {
  it.each<[string, unknown, string]>([
    ['a name the Messages API refuses', { kind: 'builtin', name: 'current time' }, 'tools[0] (current time): name "current time" must match ^[a-zA-Z0-9_-]{1,64}$'],
    ['a name over 64 characters', graphqlTool({ name: 'x'.repeat(65) }), 'must match ^[a-zA-Z0-9_-]{1,64}$'],
    ['an unknown kind', { kind: 'http', name: 'run_it' }, 'tools[0] (run_it): kind "http" is not a tool kind: use \'builtin\', \'graphql\' or \'lambda\''],
    ['a Lambda tool whose handler file does not exist', { kind: 'lambda', name: 'run_it', description: 'Runs it.', inputSchema: { type: 'object' }, entry: 'functions/tools/missing.ts' }, 'tools[0] (run_it): entry "functions/tools/missing.ts" must be the handler\'s source file'],
    ['an unknown builtin', { kind: 'builtin', name: 'weather' }, 'there is no builtin tool \'weather\'; the builtins are: current_time'],
    ['an empty description', graphqlTool({ description: '  ' }), 'description must say what the tool gives the model'],
    ['an input schema that is not an object schema', graphqlTool({ inputSchema: { type: 'array' } as unknown as InputSchema }), 'inputSchema.type must be \'object\''],
    ['a keyword misspelt', graphqlTool({ inputSchema: { ...LIMIT_SCHEMA, requried: ['limit'] } }), 'inputSchema: \'requried\' is not a JSON Schema keyword a tool\'s input schema may use'],
    ['a type that does not exist', graphqlTool({ inputSchema: { ...LIMIT_SCHEMA, properties: { limit: { type: 'int' } } } }), 'inputSchema.properties.limit.type must be one of object, array, string, number, integer, boolean, null, or a list of them'],
    ['a pattern that is not a regular expression', graphqlTool({ inputSchema: { ...LIMIT_SCHEMA, properties: { limit: { type: 'string', pattern: '([' } } } }), 'inputSchema.properties.limit.pattern is not a regular expression'],
    ['a $ref', graphqlTool({ inputSchema: { ...LIMIT_SCHEMA, properties: { limit: { $ref: '#/$defs/limit' } } } }), '\'$ref\' is not a JSON Schema keyword a tool\'s input schema may use (write the schema inline, without references)'],
    ['a required input with no property', graphqlTool({ inputSchema: { ...LIMIT_SCHEMA, required: ['count'] } }), 'inputSchema.required lists \'count\', which is not in inputSchema.properties'],
  ])('%s', (_name, tool, message) => {
    expect(refusal([tool])).toContain(message);
  });

  it('reuses a name', () => {
    expect(refusal([{ kind: 'builtin', name: 'current_time' }, graphqlTool({ name: 'current_time' })]))
      .toContain('tools[1] (current_time): name \'current_time\' is already the name of an earlier tool: tool names must be unique');
  });

  it('names every problem of every tool in one message that says where the tools are declared', () => {
    const message = refusal([{ kind: 'builtin', name: 'weather' }, graphqlTool({ description: '' })]);

    expect(message).toBe([
      'The chat function\'s tools (infra/tools.ts) are not valid:',
      '- tools[0] (weather): there is no builtin tool \'weather\'; the builtins are: current_time',
      '- tools[1] (list_things): description must say what the tool gives the model (a non-empty string)',
    ].join('\n'));
  });
});

describe('a GraphQL tool\'s document refused at synth', () => {
  it.each<[string, Partial<GraphqlToolSpec>, string]>([
    ['one that does not parse', { document: 'query { listConversations { items { id }' }, 'document does not parse: Syntax Error: Expected Name, found <EOF>. (line 1, column 41)'],
    ['a mutation', { document: 'mutation D($limit: Int) { deleteConversation(id: "x") { id } }' }, 'document is a mutation: a tool may only read, so its operation must be a query'],
    ['a subscription', { document: 'subscription S($limit: Int) { onReplyEvent(conversationId: "x") { seq } }' }, 'document is a subscription'],
    ['two operations', { document: 'query A($limit: Int) { health { status } } query B { health { status } }' }, 'document must hold exactly one operation; it holds 2'],
    ['a field the schema does not have', { document: 'query L($limit: Int) { listConversations(limit: $limit) { items { secret } } }' }, 'document is not valid against schema.graphql: Cannot query field "secret" on type "Conversation". (line 1, column 67)'],
    ['a variable with no input property', { document: 'query L($limit: Int, $after: String) { listConversations(limit: $limit, nextToken: $after) { items { id } } }' }, '$after (String) has no property in inputSchema.properties: each variable is an input, so add \'after\''],
    ['an input property that is no variable', { document: 'query L { listConversations { items { id } } }' }, 'inputSchema.properties.limit is not a variable of the query: declare $limit or remove the property'],
    ['a non-null variable the schema does not require', { document: 'query L($limit: Int!) { listConversations(limit: $limit) { items { id } } }' }, '$limit is Int! (non-null), so inputSchema.required must list \'limit\''],
    ['a required input whose variable may be null', { inputSchema: { ...LIMIT_SCHEMA, required: ['limit'] } }, 'inputSchema.required lists \'limit\', but $limit is Int, which may be null: declare it Int! or leave it out of required'],
    ['an input type the variable cannot take', { inputSchema: { ...LIMIT_SCHEMA, properties: { limit: { type: 'string' } } } }, 'inputSchema.properties.limit.type includes \'string\', but $limit is Int: use \'integer\''],
    ['a schema that lets other inputs through', { inputSchema: { type: 'object', properties: { limit: { type: 'integer' } } } }, 'inputSchema.additionalProperties must be false'],
  ])('%s', (_name, overrides, message) => {
    expect(refusal([graphqlTool(overrides)])).toContain(message);
  });

  it('accepts a required non-null variable, an optional one with a default, and a nullable input', () => {
    const tool = graphqlTool({
      inputSchema: { type: 'object', properties: { c: { type: 'string' }, limit: { type: ['integer', 'null'] } }, required: ['c'], additionalProperties: false },
      document: 'query M($c: ID!, $limit: Int = 5) { listMessages(conversationId: $c, limit: $limit) { items { id } } }',
    });

    expect(validateTools([tool])).toHaveLength(1);
  });
});

describe('the synth', () => {
  it('fails on a bad tool before building anything, with the checks\' message', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'chat-infra-tools-'));
    folders.push(outdir);
    const app = (): App => fixtureApp(outdir);

    const build = (): ChatApiStack => new ChatApiStack(app(), 'ChatApi-dev', { stage: 'dev', resolverBuildDir: join(outdir, '.resolvers'), entries: testEntries(), tools: [graphqlTool({ document: 'mutation { endAllDeviceSessions { signedOut } }' })] });

    expect(build).toThrow(ToolConfigError);
    expect(build).toThrow(/tools\[0\] \(list_things\): document is a mutation/);
  });

  it('gives the chat function TOOL_MAX_ITERATIONS, 5 unless the context says otherwise', () => {
    const dev = buildStage('dev');
    const tuned = buildStage('dev', false, { toolMaxIterations: '8' });
    stages.push(dev, tuned);

    const iterations = (stage: SynthesizedStage): unknown => (lambdaOf(Template.fromStack(stage.stack), 'chat')[1].Environment as { Variables: Record<string, unknown> }).Variables.TOOL_MAX_ITERATIONS;

    expect(iterations(dev)).toBe('5');
    expect(iterations(tuned)).toBe('8');
  });

  it('gives each Lambda tool a function of its own that only the chat function may invoke, named in its environment', () => {
    const dev = buildStage('dev');
    stages.push(dev);
    const template = Template.fromStack(dev.stack);
    const [toolId, tool] = lambdaOf(template, 'convert_units');
    const [, chat] = lambdaOf(template, 'chat');

    expect((chat.Environment as { Variables: Record<string, unknown> }).Variables.TOOL_FUNCTION_CONVERT_UNITS).toEqual({ Ref: toolId });
    expect(tool.Timeout).toBe(10);
    expect(statementsOf(template, chat).filter((statement) => statement.Action === 'lambda:InvokeFunction')).toEqual([
      expect.objectContaining({ Resource: { 'Fn::GetAtt': [toolId, 'Arn'] } }),
    ]);
    // The tool's own role may write its logs and nothing else.
    expect(statementsOf(template, tool).flatMap((statement) => [statement.Action].flat())).toEqual(expect.arrayContaining(['logs:CreateLogStream', 'logs:PutLogEvents']));
    expect(statementsOf(template, tool).flatMap((statement) => [statement.Action].flat()).every((action) => String(action).startsWith('logs:'))).toBe(true);
  });

  it('refuses a toolMaxIterations that is not a whole number', () => {
    expect(() => buildStage('dev', false, { toolMaxIterations: '2.5' })).toThrow('context toolMaxIterations="2.5": expected a whole number');
  });

  it('defines the catalog as the global the chat function reads', () => {
    expect(toolsDefine(validateTools(DEFAULT_TOOLS))).toEqual({ __CHAT_TOOLS__: JSON.stringify(validateTools(DEFAULT_TOOLS)) });
  });

  it('bundles the validated catalog into the chat function\'s code, GraphQL variables and all', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'chat-infra-bundle-'));
    folders.push(outdir);
    const { app, stack } = createApp({ stage: 'dev', outdir, bundle: true, entries: { ...testEntries(), chat: TOOLS_HANDLER } });
    app.synth();
    const [, chat] = lambdaOf(Template.fromStack(stack), 'chat');
    const assetHash = String((chat.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');

    const bundle = pathToFileURL(join(outdir, `asset.${assetHash}`, 'index.mjs')).href;
    const answer = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(bundle)}); process.stdout.write(JSON.stringify(await m.handler()));`], { encoding: 'utf8' });

    expect(JSON.parse(answer)).toEqual(validateTools(DEFAULT_TOOLS));
  }, 60_000);
});
