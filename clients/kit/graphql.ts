// GraphQL over fetch with a Cognito token, as AppSync takes it (the raw token in `authorization`), sign-in agnostic:
// the caller hands in a function that returns the current token.

/** Returns the token to send now: a user pool access (or id) token, refreshed by whoever signed the user in. */
export type TokenSource = () => string | Promise<string>;

export interface GraphqlBody { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }
export interface GraphqlResponse { data?: Record<string, unknown> | null; errors?: { errorType?: string | null; message?: string }[] }

/** One request: the data of a document, or a GraphqlError carrying AppSync's errorType. */
export type GraphqlRequest = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** A GraphQL error as AppSync sends it: errorType is Unauthorized, ValidationError, NotFound, Conflict, QuotaExceeded... */
export class GraphqlError extends Error {
  override readonly name = 'GraphqlError';
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
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
  return {
    execute: async (body) => (await send(body)).body,
    request: async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const { status, body } = await send({ query, variables });
      const [error] = body.errors ?? [];
      if (error) throw new GraphqlError(error.errorType ?? 'GraphQLError', error.message ?? 'the request failed');
      if (!body.data) throw new GraphqlError(status === 401 ? 'UnauthorizedException' : 'HttpError', `HTTP ${status} without data`);
      return body.data as T;
    },
  };
}
