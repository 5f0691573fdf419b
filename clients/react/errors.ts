// What the stores put in their snapshots when an operation fails: AppSync's errorType (docs/architecture.md, "The
// API": Unauthorized, ValidationError, NotFound, Conflict, QuotaExceeded...), the message, and which action failed.

/** The store action an error came from. */
export type ChatAction = 'list' | 'create' | 'open' | 'subscription' | 'send' | 'stop' | 'regenerate' | 'loadOlder' | 'usage';

export class ChatError extends Error {
  override readonly name = 'ChatError';
  constructor(readonly errorType: string, message: string, readonly action: ChatAction, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Any failure as a ChatError: the kit's GraphqlError and RealtimeError keep their errorType; fetch's TypeError (the
 * endpoint did not answer) is a NetworkError; anything else is an Error.
 */
export function chatError(action: ChatAction, error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  // Read by shape, not instanceof: an error may come from another realm (Node's fetch under a test runner's vm).
  const { errorType, name, message } = (typeof error === 'object' && error !== null ? error : {}) as { errorType?: unknown; name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (typeof errorType === 'string') return new ChatError(errorType, text, action, { cause: error });
  return new ChatError(name === 'TypeError' ? 'NetworkError' : 'Error', text, action, { cause: error });
}
