// A GraphQL tool: one query document against this API, sent as the user who wrote the message (their own token in
// `Authorization`, as a front end sends it), so AppSync's auth and the resolvers' owner keys bound what it reads.
// The token goes into that one header only: it is never logged, and no error or output repeats it.
import { ToolError, type GraphqlToolSpec, type ServerTool, type ToolContext } from './types.ts';

interface GraphqlError { message?: unknown; errorType?: unknown }
interface GraphqlBody { data?: unknown; errors?: GraphqlError[] }

/** AppSync's errors in one line: `Unauthorized: Not Authorized to access ...; ...` ("Configuring authorization and authentication to secure your GraphQL APIs"). */
function errorsText(errors: readonly GraphqlError[]): string {
  return errors.map((error) => {
    const message = typeof error.message === 'string' ? error.message : 'no message';
    return typeof error.errorType === 'string' ? `${error.errorType}: ${message}` : message;
  }).join('; ');
}

async function post(spec: GraphqlToolSpec, input: Record<string, unknown>, context: ToolContext, token: string): Promise<Response> {
  try {
    return await fetch(context.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({ query: spec.document, variables: input }),
      // A redirect would carry the token to another address: refuse it.
      redirect: 'error',
      signal: context.signal,
    });
  } catch (error) {
    // fetch's own message is "fetch failed"; its cause says why (ECONNREFUSED, a redirect refused, an abort).
    const { message, cause } = (error ?? {}) as { message?: unknown; cause?: { message?: unknown } };
    throw new ToolError(`${spec.name} could not reach the API: ${String(cause?.message ?? message ?? error)}`);
  }
}

async function bodyOf(response: Response): Promise<GraphqlBody | undefined> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the query; resolves with the response's `data`, or throws a ToolError saying what the API answered. */
async function runQuery(spec: GraphqlToolSpec, input: Record<string, unknown>, context: ToolContext): Promise<unknown> {
  const token = context.userToken;
  if (!token) throw new ToolError(`${spec.name} needs the signed-in user's token, and this turn has none: it cannot read the user's data.`);
  const response = await post(spec, input, context, token);
  const body = await bodyOf(response);
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  if (response.status !== 200) {
    throw new ToolError(`The API refused ${spec.name} (HTTP ${response.status}${errors.length > 0 ? `: ${errorsText(errors)}` : ''}).`);
  }
  if (!body) throw new ToolError(`The API answered ${spec.name} with a body that is not a GraphQL response.`);
  if (errors.length > 0) throw new ToolError(`${spec.name} failed: ${errorsText(errors)}`);
  if (body.data === undefined || body.data === null) throw new ToolError(`The API answered ${spec.name} without data.`);
  return body.data;
}

export function graphqlTool(spec: GraphqlToolSpec): ServerTool {
  return {
    definition: { name: spec.name, description: spec.description, input_schema: spec.inputSchema },
    run: (input, context) => runQuery(spec, input, context),
  };
}
