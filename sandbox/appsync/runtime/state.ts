// What one evaluation of a resolver handler records besides its return value, and the
// signals a handler raises (util.error, util.unauthorized, runtime.earlyReturn).

/** An error added with util.appendError, or the one raised by util.error. */
export interface ResolverErrorEntry {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

export interface SubscriptionInvalidation {
  subscriptionField: string;
  payload: Record<string, unknown>;
}

export interface CacheEviction {
  typeName: string;
  fieldName: string;
  keys: Record<string, unknown>;
}

/** Mutable state shared by util, extensions and runtime during one handler run. */
export interface EvaluationState {
  /** util.authType(): "User Pool Authorization", "IAM Authorization", ... or null when unknown. */
  authType: string | null;
  /** util.appendError entries, in call order. */
  appendedErrors: ResolverErrorEntry[];
  /** console.log / console.error lines, as AppSync records them. */
  logs: string[];
  /** util.http.addResponseHeader(s). */
  responseHeaders: Record<string, string>;
  /** extensions.setSubscriptionFilter (the JSON the filter helpers produced). */
  subscriptionFilter: unknown;
  /** extensions.setSubscriptionInvalidationFilter. */
  subscriptionInvalidationFilter: unknown;
  /** extensions.invalidateSubscriptions, in call order. */
  invalidations: SubscriptionInvalidation[];
  /** extensions.evictFromApiCache, in call order. */
  cacheEvictions: CacheEviction[];
}

export function newEvaluationState(authType: string | null = null): EvaluationState {
  return {
    authType,
    appendedErrors: [],
    logs: [],
    responseHeaders: {},
    subscriptionFilter: undefined,
    subscriptionInvalidationFilter: undefined,
    invalidations: [],
    cacheEvictions: [],
  };
}

/** Raised by util.error: ends the handler; AppSync reports it as a GraphQL error. */
export class ResolverError extends Error {
  override readonly name = 'ResolverError';
  constructor(
    message: string,
    readonly errorType: string | null = null,
    readonly data: unknown = null,
    readonly errorInfo: unknown = null,
  ) {
    super(message);
  }
}

/** Raised by util.unauthorized: AppSync answers "Not Authorized to access <field> on type <Type>". */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
  readonly errorType = 'Unauthorized';
  constructor() {
    super('Unauthorized');
  }
}

/** Raised by runtime.earlyReturn: not an error, a jump out of the handler with a value. */
export class EarlyReturnSignal extends Error {
  override readonly name = 'EarlyReturnSignal';
  constructor(
    readonly value: unknown,
    readonly skipTo: 'END' | 'NEXT' | null,
  ) {
    super('runtime.earlyReturn');
  }
}

/**
 * A util function given arguments AppSync rejects. AppSync reports these as runtime errors of
 * the handler (errorType null), with a message naming the function.
 */
export class UtilArgumentError extends Error {
  override readonly name = 'UtilArgumentError';
}
