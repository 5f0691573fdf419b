// The AWS_LAMBDA data source ("AWS AppSync JavaScript resolver function reference for Lambda"):
// Invoke and BatchInvoke, RequestResponse or Event, function errors as ctx.error.
import type { LambdaService } from '../../lambda/runtime.ts';
import type { DataSourceOutcome } from './outcome.ts';

export async function executeLambdaRequest(lambda: LambdaService, functionName: string, request: unknown): Promise<DataSourceOutcome> {
  const { operation, payload, invocationType } = (request ?? {}) as { operation?: unknown; payload?: unknown; invocationType?: unknown };
  if (operation !== 'Invoke' && operation !== 'BatchInvoke') {
    return { error: { type: 'MappingTemplate', message: `Lambda requests need operation 'Invoke' or 'BatchInvoke', not ${JSON.stringify(operation)}.` } };
  }
  if (invocationType !== undefined && invocationType !== 'RequestResponse' && invocationType !== 'Event') {
    return { error: { type: 'MappingTemplate', message: `invocationType must be 'RequestResponse' or 'Event', not ${JSON.stringify(invocationType)}.` } };
  }
  const result = await lambda.invoke(functionName, payload ?? null, invocationType ?? 'RequestResponse');
  if (result.functionError) {
    return { error: { type: 'Lambda:Unhandled', message: result.error?.errorMessage ?? 'The Lambda function failed.' } };
  }
  return { result: result.statusCode === 202 ? null : (result.payload ?? null) };
}

/** The NONE data source: the request's payload comes back as ctx.result. */
export function executeNoneRequest(request: unknown): DataSourceOutcome {
  const payload = (request as { payload?: unknown } | null)?.payload;
  return { result: payload ?? null };
}
