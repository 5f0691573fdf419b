// Errors the terminal chat explains in a sentence: an unreachable endpoint, a GraphQL error with its errorType.

/** The endpoint did not answer at all: connection refused, unknown host, reset. */
export class UnreachableError extends Error {
  readonly errorType = 'Unreachable';
  constructor(readonly url: string, readonly code: string) {
    super(code === 'ECONNREFUSED'
      ? `cannot connect to ${new URL(url).origin} (connection refused): is the sandbox running? Start it with npm start`
      : `cannot reach ${new URL(url).origin} (${code})`);
  }
}

/** A GraphQL error as AppSync sends it: a message and an errorType such as Conflict or Unauthorized. */
export class GraphqlError extends Error {
  constructor(message: string, readonly errorType: string) {
    super(errorType ? `${message} (${errorType})` : message);
  }
}

/** The system error code under fetch's or ws's wrapping, if any. */
export function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    const nested = (e as { errors?: unknown }).errors;
    if (Array.isArray(nested) && nested[0] instanceof Error) return networkCode(nested[0]);
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

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
