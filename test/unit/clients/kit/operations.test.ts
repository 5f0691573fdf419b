// The kit's documents against schema.graphql, and its GraphQL-over-fetch client and chat helpers against a fetch that
// answers as AppSync does.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, parse, print, validate, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { ChatApi, GraphqlError, graphqlClient, OPERATIONS, printDocument, TokenSourceError, type GraphqlBody } from '../../../../clients/kit/index.ts';
import { buildAppSyncSchema } from '../../../../sandbox/appsync/schema.ts';

// buildAppSyncSchema reads schema.graphql with sandbox/appsync/aws-definitions.graphql, as codegen.yml does.
const schema = buildAppSyncSchema(readFileSync(new URL('../../../../schema.graphql', import.meta.url), 'utf8'));
const documentsFolder = new URL('../../../../clients/kit/documents/', import.meta.url);

/** A fetch that records each request and answers with the next body. */
function fakeFetch(answers: { status?: number; body: unknown }[]): { fetch: typeof fetch; sent: { url: string; headers: Record<string, string>; body: GraphqlBody }[] } {
  const sent: { url: string; headers: Record<string, string>; body: GraphqlBody }[] = [];
  const call = (input: string, init: { headers: Record<string, string>; body: string }): Promise<Response> => {
    sent.push({ url: input, headers: init.headers, body: JSON.parse(init.body) as GraphqlBody });
    const answer = answers.shift() ?? { body: {} };
    return Promise.resolve(new Response(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body), { status: answer.status ?? 200 }));
  };
  return { fetch: call as unknown as typeof fetch, sent };
}

const operationsOf = (document: DocumentNode): OperationDefinitionNode[] => document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
const nameOf = (query: string): string | undefined => operationsOf(parse(query))[0]?.name?.value;

const HEALTH = parse('query Health { health { status } }') as TypedDocumentNode<{ health: { status: string } }, Record<string, never>>;
const STOP = parse('mutation Stop($conversationId: ID!) { stopReply(conversationId: $conversationId) { id } }') as TypedDocumentNode<{ stopReply: { id: string } }, { conversationId: string }>;

describe('the kit\'s operations', () => {
  it.each(Object.entries(OPERATIONS))('%s is one operation of that name, valid against schema.graphql with its fragments', (name, document) => {
    const errors = validate(schema, document).map((e) => e.message);

    expect(errors).toEqual([]);
    expect(operationsOf(document).map((o) => o.name?.value)).toEqual([name]);
  });

  it('are the operations of clients/kit/documents, which read as one valid document: every fragment defined once and used', () => {
    const files = readdirSync(documentsFolder).filter((f) => f.endsWith('.graphql'));
    const all = parse(files.map((f) => readFileSync(new URL(f, documentsFolder), 'utf8')).join('\n'));

    const errors = validate(schema, all).map((e) => e.message);

    expect(errors).toEqual([]);
    expect(operationsOf(all).map((o) => o.name?.value).sort()).toEqual(Object.keys(OPERATIONS).sort());
  });
});

describe('GraphQL over fetch', () => {
  it('posts the document as text with its variables and the current token, raw, in authorization', async () => {
    const { fetch, sent } = fakeFetch([{ body: { data: { stopReply: { id: 'r' } } } }]);
    let token = 't1';
    const client = graphqlClient({ url: 'https://api.example/graphql', token: () => token, fetch });
    token = 't2';

    const data = await client.request(STOP, { conversationId: 'c' });

    expect(data.stopReply.id).toBe('r');
    expect(sent[0]).toMatchObject({ url: 'https://api.example/graphql', headers: { authorization: 't2' }, body: { query: print(STOP), variables: { conversationId: 'c' } } });
  });

  it('sends empty variables for a document that needs none', async () => {
    const { fetch, sent } = fakeFetch([{ body: { data: { health: { status: 'ok' } } } }]);

    const data = await graphqlClient({ url: 'u', token: () => 't', fetch }).request(HEALTH);

    expect(data.health.status).toBe('ok');
    expect(sent[0]?.body).toEqual({ query: print(HEALTH), variables: {} });
  });

  it('prints a document once and sends that text on every request', async () => {
    // Arrange: a document printed by a first request, then changed in place; only a second print would see the change.
    const document = parse('query First { health { status } }') as TypedDocumentNode<{ health: { status: string } }, Record<string, never>>;
    const { fetch, sent } = fakeFetch([{ body: { data: { health: { status: 'ok' } } } }, { body: { data: { health: { status: 'ok' } } } }]);
    const client = graphqlClient({ url: 'u', token: () => 't', fetch });
    await client.request(document);
    (document as { definitions: DocumentNode['definitions'] }).definitions = parse('query Second { health { version } }').definitions;

    // Act
    await client.request(document);

    // Assert
    expect(sent.map((s) => nameOf(s.body.query))).toEqual(['First', 'First']);
    expect(printDocument(document)).toBe(sent[0]?.body.query);
  });

  it('sends nothing when the token source fails, and rejects with its error', async () => {
    const { fetch, sent } = fakeFetch([]);
    const signedOut = new TokenSourceError('NotSignedIn', 'Nobody is signed in.');
    const client = graphqlClient({ url: 'u', token: () => Promise.reject(signedOut), fetch });

    const failure = client.request(HEALTH);

    await expect(failure).rejects.toBe(signedOut);
    expect(sent).toEqual([]);
  });

  it('throws AppSync\'s first error with its errorType', async () => {
    const { fetch } = fakeFetch([{ body: { data: null, errors: [{ errorType: 'Conflict', message: 'a reply is in flight' }] } }]);
    const client = graphqlClient({ url: 'u', token: () => 't', fetch });

    const failure = client.request(STOP, { conversationId: 'c' });

    await expect(failure).rejects.toEqual(new GraphqlError('Conflict', 'a reply is in flight'));
  });

  it('names an HTTP failure without data, a 401 as UnauthorizedException', async () => {
    const { fetch } = fakeFetch([{ status: 401, body: 'not json' }, { status: 502, body: {} }, { body: { errors: [{}] } }]);
    const client = graphqlClient({ url: 'u', token: () => 't', fetch });

    const errors = await Promise.all([client.request(HEALTH), client.request(HEALTH), client.request(HEALTH)].map((p) => p.then(() => new GraphqlError('none', 'answered'), (e: unknown) => e as GraphqlError)));

    expect(errors.map((e) => [e.errorType, e.message])).toEqual([['UnauthorizedException', 'HTTP 401 without data'], ['HttpError', 'HTTP 502 without data'], ['GraphQLError', 'the request failed']]);
  });

  it('hands GraphiQL the response as it came, errors included', async () => {
    const answer = { data: null, errors: [{ errorType: 'ValidationError', message: 'no' }] };
    const { fetch } = fakeFetch([{ body: answer }]);

    const response = await graphqlClient({ url: 'u', token: () => Promise.resolve('t'), fetch }).execute({ query: 'q', operationName: 'Q' });

    expect(response).toEqual(answer);
  });
});

describe('the chat helpers', () => {
  const conversation = (id: string) => ({ id, title: null, model: 'm', createdAt: 'c', updatedAt: 'u', messageCount: 0, activeReplyId: null });

  it('reads every conversation page after page', async () => {
    const { fetch, sent } = fakeFetch([
      { body: { data: { listConversations: { items: [conversation('a'), conversation('b')], nextToken: 'n1' } } } },
      { body: { data: { listConversations: { items: [conversation('c')], nextToken: null } } } },
    ]);
    const api = new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request);

    const ids: string[] = [];
    for await (const c of api.conversations(2)) ids.push(c.id);

    expect(ids).toEqual(['a', 'b', 'c']);
    expect(sent.map((s) => s.body.variables)).toEqual([{ limit: 2, nextToken: null }, { limit: 2, nextToken: 'n1' }]);
  });

  it('sends each operation with its variables and returns its field', async () => {
    const message = { id: 'm' };
    const { fetch, sent } = fakeFetch([
      { body: { data: { createConversation: conversation('c') } } },
      { body: { data: { sendMessage: { userMessage: message, reply: message } } } },
      { body: { data: { stopReply: message } } },
      { body: { data: { regenerateReply: message } } },
      { body: { data: { getMessage: null } } },
      { body: { data: { listMessages: { items: [message], nextToken: null } } } },
      { body: { data: { usage: { remaining: 5 } } } },
      { body: { data: { sendMessage: { userMessage: message, reply: message } } } },
    ]);
    const api = new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request);

    const results = [
      await api.createConversation({ title: 'Sea' }), await api.sendMessage('c', 'hi', 'client-1'), await api.stopReply('c'), await api.regenerateReply('c'),
      await api.getMessage('c', 'm'), await api.listMessages('c', { limit: 5 }), await api.usage('2025-01-01'), await api.sendMessage('c', 'again'),
    ];

    expect(sent.map((s) => nameOf(s.body.query))).toEqual(['CreateConversation', 'SendMessage', 'StopReply', 'RegenerateReply', 'GetMessage', 'ListMessages', 'Usage', 'SendMessage']);
    expect(results.map((r) => (r === null ? null : Object.keys(r)))).toEqual([Object.keys(conversation('c')), ['userMessage', 'reply'], ['id'], ['id'], null, ['items', 'nextToken'], ['remaining'], ['userMessage', 'reply']]);
    expect(sent.map((s) => s.body.variables)).toEqual([
      { input: { title: 'Sea' } }, { input: { conversationId: 'c', content: 'hi', clientMessageId: 'client-1' } }, { conversationId: 'c' }, { conversationId: 'c' },
      { conversationId: 'c', id: 'm' }, { conversationId: 'c', limit: 5, nextToken: null }, { date: '2025-01-01' },
      { input: { conversationId: 'c', content: 'again', clientMessageId: expect.stringMatching(/^[0-9a-f-]{36}$/) } },
    ]);
    expect(await api.listConversations().catch(() => 'no answer left')).toBe('no answer left');
  });

  it('sends attachmentIds, citations and client tools given as options, and client tools given as a list', async () => {
    const turn = { body: { data: { sendMessage: { userMessage: { id: 'u' }, reply: { id: 'r' } } } } };
    const { fetch, sent } = fakeFetch([turn, turn, turn]);
    const api = new ChatApi(graphqlClient({ url: 'u', token: () => 't', fetch }).request);
    const tool = { name: 'get_theme', description: 'The theme.', inputSchema: { type: 'object' } };

    await api.sendMessage('c', 'Compare these.', 'm1', { attachmentIds: ['a1', 'a2'], citations: true, clientTools: [tool] });
    await api.sendMessage('c', 'Which theme?', 'm2', [tool]);
    await api.sendMessage('c', 'No files.', 'm3', { attachmentIds: [], citations: false });

    const inputSchema = JSON.stringify(tool.inputSchema);
    expect(sent.map((s) => s.body.variables)).toEqual([
      { input: { conversationId: 'c', content: 'Compare these.', clientMessageId: 'm1', clientTools: [{ ...tool, inputSchema }], attachmentIds: ['a1', 'a2'], citations: true } },
      { input: { conversationId: 'c', content: 'Which theme?', clientMessageId: 'm2', clientTools: [{ ...tool, inputSchema }] } },
      { input: { conversationId: 'c', content: 'No files.', clientMessageId: 'm3', citations: false } },
    ]);
  });
});
