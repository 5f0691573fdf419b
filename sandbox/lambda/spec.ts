// What the Lambda service runs: one function of the template (its code, handler, limits and retry settings) and the
// error response the Node.js runtime writes. The service (runtime.ts) and its environments (environment.ts) share it.

/** A function's error response, as the Node.js runtime writes it. */
export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** One `AWS::Lambda::Function` of the synthesized template, with its `AWS::Lambda::EventInvokeConfig`. */
export interface FunctionSpec {
  name: string;
  /** The asset folder, e.g. `cdk.out/asset.<hash>/`. */
  codeDir: string;
  /** `<file>.<export>`, e.g. `index.handler`. */
  handler: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** e.g. `nodejs22.x`. */
  runtime: string;
  architecture?: string;
  /** MaximumRetryAttempts of Event invocations; Lambda's default is 2. */
  maxEventRetries?: number;
  /** The on-failure destination: gets the event once its retries are exhausted. */
  onFailure?: (event: unknown, error: LambdaError) => void;
}
