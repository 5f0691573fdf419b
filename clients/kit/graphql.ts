// GraphQL over fetch with a Cognito token, as AppSync takes it (the raw token in `authorization`), sign-in agnostic:
// the caller hands in a function that returns the current token (auth.ts has one for Amplify and one for
// amazon-cognito-identity-js). Requests take typed documents (operations.ts): the variables and the data are typed.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode } from 'graphql';

/** Returns the token to send now: a user pool access (or id) token, refreshed by whoever signed the user in. */
export type TokenSource = () => string | Promise<string>;

export interface GraphqlBody { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }
export interface GraphqlResponse { data?: Record<string, unknown> | null; errors?: { errorType?: string | null; message?: string }[] }

/** A document's variables as arguments: optional when the operation has no required variable. */
export type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

/** One request: the data of a typed document, or a GraphqlError carrying AppSync's errorType. */
export type GraphqlRequest = <TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, ...variables: VariablesArgument<TVariables>) => Promise<TData>;

/** A GraphQL error as AppSync sends it: errorType is Unauthorized, ValidationError, NotFound, Conflict, QuotaExceeded... */
export class GraphqlError extends Error {
  override readonly name = 'GraphqlError';
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

const printed = new WeakMap<DocumentNode, string>();

/** A document as the text a request carries: printed (graphql's print) the first time, then kept with the document. */
export function printDocument(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export interface GraphqlClientOptions {
  /** The GraphQL endpoint, `https://<id>.appsync-api.<region>.amazonaws.com/graphql` or the sandbox's. */
  url: string;
  token: TokenSource;
  /** Defaults to the global fetch; pass one to add retries, logging, or to name an unreachable host. */
  fetch?: typeof fetch;
}

export interface GraphqlClient {
  /** The response as AppSync sends it, errors included (GraphiQL shows them). */
  execute(body: GraphqlBody): Promise<GraphqlResponse>;
  request: GraphqlRequest;
}

/** The fetch each client's request function sends with, so ChatApi's uploads go through the same one. */
const fetches = new WeakMap<GraphqlRequest, typeof fetch>();

/** The `fetch` option of the graphqlClient that made this request function; undefined without one, or for another's function. */
export function fetchOf(request: GraphqlRequest): typeof fetch | undefined {
  return fetches.get(request);
}

export function graphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const call = options.fetch ?? ((input, init) => fetch(input, init));
  const send = async (body: GraphqlBody): Promise<{ status: number; body: GraphqlResponse }> => {
    const response = await call(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await options.token() },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as GraphqlResponse };
  };
  const request: GraphqlRequest = async <TData, TVariables extends Record<string, unknown>>(document: TypedDocumentNode<TData, TVariables>, ...[variables]: VariablesArgument<TVariables>): Promise<TData> => {
    const { status, body } = await send({ query: printDocument(document), variables: variables ?? {} });
    const [error] = body.errors ?? [];
    if (error) throw new GraphqlError(error.errorType ?? 'GraphQLError', error.message ?? 'the request failed');
    if (!body.data) throw new GraphqlError(status === 401 ? 'UnauthorizedException' : 'HttpError', `HTTP ${status} without data`);
    return body.data as TData;
  };
  if (options.fetch) fetches.set(request, options.fetch);
  return { execute: async (body) => (await send(body)).body, request };
}
