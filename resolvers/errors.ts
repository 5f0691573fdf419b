// Data source errors turned into the API's error types, so a client can act on errorType.
import { util } from '@aws-appsync/utils';

interface DataSourceError { message: string; type: string }

/** Raises ctx.error as is, except the cases a caller can understand: those get a clear type. */
export function raiseDataSourceError(error: DataSourceError | undefined, notFound: string | null = null): void {
  if (!error) return;
  if (notFound !== null && error.type === 'DynamoDB:ConditionalCheckFailedException') util.error(notFound, 'NotFound');
  util.error(error.message, error.type);
}

/**
 * For a cancelled TransactWriteItems, the reason of each item in order ('None', 'ConditionalCheckFailed',
 * 'TransactionConflict', ...): AppSync puts them in ctx.result ("TransactWriteItems").
 */
export function cancellationReasons(result: unknown): string[] {
  const reasons = (result as { cancellationReasons?: { type?: string }[] | null } | null)?.cancellationReasons ?? [];
  return reasons.map((reason) => reason.type ?? 'None');
}
