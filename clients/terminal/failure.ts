// Errors the terminal chat explains in a sentence: an unreachable endpoint, a GraphQL error with its errorType.
import { GraphqlError } from '../kit/index.ts';

/** The endpoint did not answer at all: connection refused, unknown host, reset. */
export class UnreachableError extends Error {
  readonly errorType = 'Unreachable';
  constructor(readonly url: string, readonly code: string) {
    super(code === 'ECONNREFUSED'
      ? `cannot connect to ${new URL(url).origin} (connection refused): is the sandbox running? Start it with npm start`
      : `cannot reach ${new URL(url).origin} (${code})`);
  }
}

/** The system error code under fetch's wrapping, if any. */
export function networkCode(error: unknown): string | undefined {
  // Any object, not only `instanceof Error`: fetch's errors come from Node's own realm (another one under jest's vm).
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested.length > 0) return networkCode(nested[0]);
  }
  return undefined;
}

/** Runs a network call; a failure to connect becomes an UnreachableError naming the URL. */
export async function reaching<T>(url: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = networkCode(error);
    if (code) throw new UnreachableError(url, code);
    throw error;
  }
}

/** Throws UnreachableError when nothing answers at the URL; any HTTP answer will do. */
export async function probe(url: string): Promise<void> {
  await reaching(url, async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await response.body?.cancel();
  });
}

/** The sentence to print; a GraphQL error names its errorType (Conflict, QuotaExceeded...), as AppSync sent it. */
export function message(error: unknown): string {
  if (error instanceof GraphqlError) return `${error.message} (${error.errorType})`;
  return error instanceof Error ? error.message : String(error);
}

/** fetch, with a failure to connect turned into an UnreachableError naming the URL. */
export const reachingFetch: typeof fetch = (input, init) => reaching(String(input instanceof Request ? input.url : input), () => fetch(input, init));
