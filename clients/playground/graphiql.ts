/// <reference lib="dom" />
// GraphiQL on the signed-in user's token: queries and mutations over POST /graphql, subscriptions over the
// real-time endpoint (AppSync's protocol, not graphql-ws), the schema's docs from introspection.
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { Kind, OperationTypeNode, parse, print, type DefinitionNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import {
  CreateConversationDocument, ListConversationsDocument, OnReplyEventDocument, SendMessageDocument, type GraphqlClient, type GraphqlResponse, type RealtimeClient,
} from '../kit/index.ts';

type Fetcher = GraphiQLProps['fetcher'];
type FetcherParams = Parameters<Fetcher>[0];

function operationOf(params: FetcherParams, document: DocumentNode | undefined): OperationDefinitionNode | undefined {
  let parsed = document;
  try {
    parsed ??= parse(params.query);
  } catch {
    return undefined; // GraphiQL shows the syntax error itself when the server answers.
  }
  const operations = parsed.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return params.operationName ? operations.find((o) => o.name?.value === params.operationName) : operations[0];
}

/** Subscriptions as the Observable GraphiQL consumes: each `data` message is one result in the response pane. */
function subscriptionFetch(realtime: RealtimeClient, params: FetcherParams): ReturnType<Fetcher> {
  return {
    subscribe: (observer: { next: (value: GraphqlResponse) => void; error: (error: unknown) => void; complete: () => void }) => {
      const subscription = realtime.subscribe({ query: params.query, variables: params.variables as Record<string, unknown> | null, operationName: params.operationName ?? null }, {
        next: (payload) => observer.next(payload as GraphqlResponse),
        error: (error) => observer.next({ errors: [{ errorType: error.errorType, message: error.message }] }),
        complete: () => observer.complete(),
      });
      return { unsubscribe: () => subscription.unsubscribe() };
    },
  } as ReturnType<Fetcher>;
}

export function createFetcher(api: GraphqlClient, realtime: RealtimeClient): Fetcher {
  return (params, options) => {
    if (operationOf(params, options?.documentAST)?.operation === OperationTypeNode.SUBSCRIPTION) return subscriptionFetch(realtime, params);
    return api.execute({ query: params.query, variables: params.variables as Record<string, unknown> | null, operationName: params.operationName ?? null }) as ReturnType<Fetcher>;
  };
}

/** Documents as one: their operations, then the fragments they share, each once (a name defined twice is invalid). */
function oneDocument(documents: readonly DocumentNode[]): string {
  const byName = new Map<string, DefinitionNode>();
  for (const definition of documents.flatMap((d) => d.definitions)) {
    const name = 'name' in definition ? definition.name?.value : undefined;
    if (name !== undefined && !byName.has(`${definition.kind}:${name}`)) byName.set(`${definition.kind}:${name}`, definition);
  }
  const definitions = [...byName.values()].sort((a, b) => Number(a.kind === Kind.FRAGMENT_DEFINITION) - Number(b.kind === Kind.FRAGMENT_DEFINITION));
  return print({ kind: Kind.DOCUMENT, definitions });
}

/** GraphiQL's first tab: the documents the chat view runs (the kit's), runnable by name. */
const GRAPHIQL_DEFAULT_QUERY = `# The chat API of this sandbox. Run an operation by name with the ▶ button;
# set variables below. Subscriptions go over ${'`'}/graphql/realtime${'`'} (AppSync's protocol).

${oneDocument([ListConversationsDocument, CreateConversationDocument, SendMessageDocument, OnReplyEventDocument])}
`;

const DEFAULT_VARIABLES = JSON.stringify({
  limit: 20,
  conversationId: '<an id from listConversations>',
  input: { conversationId: '<the same id>', content: 'Hello!', clientMessageId: '<a new UUID for every message>' },
}, null, 2);

/** Renders GraphiQL into `container`; returns its React root so a sign-out can unmount it. */
export function mountGraphiQL(container: HTMLElement, api: GraphqlClient, realtime: RealtimeClient): Root {
  const root = createRoot(container);
  root.render(createElement(GraphiQL, {
    fetcher: createFetcher(api, realtime),
    defaultTabs: [{ query: GRAPHIQL_DEFAULT_QUERY, variables: DEFAULT_VARIABLES }],
    // The token comes from the sign-in: headers typed here would be ignored.
    isHeadersEditorEnabled: false,
  }));
  return root;
}
