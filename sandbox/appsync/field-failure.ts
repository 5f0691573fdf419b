// A field that failed to resolve, as AppSync reports it in `errors[]`: message, errorType, data and errorInfo
// ("Resolver reference (JavaScript)": util.error). Thrown while a field resolves, read where the response is built.

/** A GraphQL error as AppSync reports it for a field. */
export interface FieldError {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

export class FieldFailure extends Error {
  constructor(readonly fieldError: FieldError) {
    super(fieldError.message);
    this.name = 'FieldFailure';
  }

  /** A failure with only a message and a type (no data, no errorInfo), as most of AppSync's own are. */
  static of(message: string, errorType: string): FieldFailure {
    return new FieldFailure({ message, errorType, data: null, errorInfo: null });
  }
}
