// The catalog as infra/tools.ts produces it, served by the runner: the definitions sent to the model and the tools'
// refusals that need no API (the GraphQL tool against the API: test/integration/functions/chat/tools/).
import { createServer } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { bundledCatalog, serverToolOf, toolRunnerFromCatalog } from '../../../../../functions/chat/tools/catalog.ts';
import type { ToolContext } from '../../../../../functions/chat/tools/types.ts';
import { DEFAULT_TOOLS, validateTools } from '../../../../../infra/tools.ts';

const catalog = validateTools(DEFAULT_TOOLS);

const context = (overrides: Partial<ToolContext> = {}): ToolContext => ({
  owner: 'sub', userToken: 'token', graphqlUrl: 'http://127.0.0.1:1/graphql', signal: new AbortController().signal, now: () => Date.UTC(2025, 4, 1, 12), ...overrides,
});

/** A loopback port nothing listens on: one the system just gave out, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the tool catalog', () => {
  it('is empty when the code runs unbundled (only a bundle has __CHAT_TOOLS__ defined)', () => {
    expect(bundledCatalog()).toEqual([]);
    expect(toolRunnerFromCatalog().definitions).toEqual([]);
  });

  it('is globalThis.__CHAT_TOOLS__ when a process running the sources sets it', () => {
    const scope = globalThis as { __CHAT_TOOLS__?: unknown };
    scope.__CHAT_TOOLS__ = catalog;
    try {
      expect(toolRunnerFromCatalog().definitions.map((d) => d.name)).toEqual(['current_time', 'list_recent_conversations', 'get_usage', 'convert_units']);
    } finally {
      delete scope.__CHAT_TOOLS__;
    }
  });

  it('defines every declared tool for the Messages API request', () => {
    const runner = toolRunnerFromCatalog(catalog);

    expect(runner.definitions.map((d) => d.name)).toEqual(['current_time', 'list_recent_conversations', 'get_usage', 'convert_units']);
    for (const definition of runner.definitions) {
      expect(definition).toEqual({ name: expect.any(String) as unknown, description: expect.stringMatching(/\S/) as unknown, input_schema: expect.objectContaining({ type: 'object' }) as unknown });
    }
  });

  it('serves a builtin entry with the builtin\'s own code', async () => {
    const outcome = await toolRunnerFromCatalog(catalog).run({ id: 't1', name: 'current_time', input: { timeZone: 'Asia/Tokyo' } }, context());

    expect(outcome).toEqual({ output: expect.objectContaining({ timeZone: 'Asia/Tokyo', localTime: '2025-05-01T21:00:00+09:00' }) as unknown, isError: false });
  });

  it('gives a GraphQL entry its declared definition', () => {
    const [, list] = catalog;

    expect(list && serverToolOf(list).definition).toEqual({ name: 'list_recent_conversations', description: list?.kind === 'graphql' ? list.description : '', input_schema: list?.kind === 'graphql' ? list.inputSchema : {} });
  });

  it('refuses to run a GraphQL tool without the user\'s token', async () => {
    const outcome = await toolRunnerFromCatalog(catalog).run({ id: 't1', name: 'get_usage', input: {} }, context({ userToken: undefined }));

    expect(outcome).toEqual({ output: { error: 'get_usage needs the signed-in user\'s token, and this turn has none: it cannot read the user\'s data.' }, isError: true });
  });

  it('says so when the API cannot be reached', async () => {
    const port = await closedPort();

    const outcome = await toolRunnerFromCatalog(catalog).run({ id: 't1', name: 'get_usage', input: {} }, context({ graphqlUrl: `http://127.0.0.1:${port}/graphql` }));

    expect(outcome).toEqual({ output: { error: `get_usage could not reach the API: connect ECONNREFUSED 127.0.0.1:${port}` }, isError: true });
  });
});
