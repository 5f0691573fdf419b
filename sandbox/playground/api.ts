/// <reference lib="dom" />
// POST /graphql with the user's access token, as Amplify v6 sends it (raw, in Authorization).

export interface GraphqlBody { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }
export interface GraphqlResponse { data?: Record<string, unknown> | null; errors?: { errorType?: string; message: string }[] }

export class GraphqlError extends Error {
  override readonly name = 'GraphqlError';
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

export class GraphqlClient {
  constructor(private readonly url: string, private readonly token: () => Promise<string>) {}

  /** The response as AppSync sends it, errors included (GraphiQL shows them). */
  async execute(body: GraphqlBody): Promise<GraphqlResponse> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await this.token() },
      body: JSON.stringify(body),
    });
    return (await response.json()) as GraphqlResponse;
  }

  /** The data, or a GraphqlError with AppSync's errorType. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await this.execute({ query, variables });
    const error = result.errors?.[0];
    if (error) throw new GraphqlError(error.errorType ?? 'GraphQLError', error.message);
    return result.data as T;
  }
}
