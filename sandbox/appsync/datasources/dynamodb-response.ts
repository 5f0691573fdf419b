// DynamoDB answers as AppSync puts them in ctx.result and ctx.error.
import { DynamoDBServiceException, type AttributeValue, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { MappingTemplateError, type DataSourceOutcome } from './outcome.ts';
import { InvalidPaginationTokenError } from './pagination-token.ts';
import type { AttributeMap } from './dynamodb-request.ts';

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * "Type system (response mapping)": numbers become JSON numbers, sets become lists, binary becomes base64 text.
 * Not util-dynamodb's unmarshall, which returns Set objects and Uint8Arrays and throws on imprecise numbers.
 */
export function toJson(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.B !== undefined) return base64(value.B);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.BS !== undefined) return value.BS.map(base64);
  if (value.L !== undefined) return value.L.map(toJson);
  if (value.M !== undefined) return itemToJson(value.M);
  return null;
}

export function itemToJson(item: AttributeMap): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toJson(value)]));
}

export const itemOrNull = (item: AttributeMap | undefined): Record<string, unknown> | null => (item === undefined ? null : itemToJson(item));

/** A form where equal DynamoDB values are equal strings: sets unordered, numbers normalised, binary as base64. */
export function canonical(value: AttributeValue): unknown {
  if (value.N !== undefined) return { N: Number(value.N) };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: [...value.SS].sort() };
  if (value.NS !== undefined) return { NS: value.NS.map(Number).sort((a, b) => a - b) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64).sort() };
  if (value.L !== undefined) return { L: value.L.map(canonical) };
  if (value.M !== undefined) return { M: canonicalItem(value.M) };
  return value;
}

export function canonicalItem(item: AttributeMap, ignore: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(Object.keys(item).filter((name) => !ignore.includes(name)).sort().map((name) => [name, canonical(item[name] as AttributeValue)]));
}

export const sameItem = (left: AttributeMap, right: AttributeMap, ignore: readonly string[] = []): boolean =>
  JSON.stringify(canonicalItem(left, ignore)) === JSON.stringify(canonicalItem(right, ignore));

/** "Transaction condition expressions": one { type, message, item? } per request item, "None" where nothing failed. */
export function cancellationReasons(reasons: CancellationReason[] | undefined): unknown[] {
  return (reasons ?? []).map((reason) => ({
    ...(reason.Item === undefined ? {} : { item: itemToJson(reason.Item) }),
    type: reason.Code ?? 'None',
    message: reason.Message ?? 'None',
  }));
}

/**
 * ctx.error for a failed call: type `DynamoDB:<exception>`, DynamoDB's message with the service suffix AppSync shows
 * ("Condition expressions": "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; ...)").
 * A nextToken the data source did not give is AppSync's invalid-token error (pagination-token.ts). Anything that is
 * neither DynamoDB's answer nor a request refused before it (the endpoint is down) is thrown.
 */
export function failure(error: unknown, result?: unknown): DataSourceOutcome {
  const withResult = result === undefined ? {} : { result };
  if (error instanceof MappingTemplateError) return { error: { message: error.message, type: 'MappingTemplate' }, ...withResult };
  if (error instanceof InvalidPaginationTokenError) return { error: { message: error.message, type: error.errorType }, ...withResult };
  if (!(error instanceof DynamoDBServiceException)) throw error;
  const status = error.$metadata.httpStatusCode ?? 400;
  const message = `${error.message} (Service: AmazonDynamoDBv2; Status Code: ${status}; Error Code: ${error.name}; Request ID: ${error.$metadata.requestId ?? 'sandbox'})`;
  return { error: { message, type: `DynamoDB:${error.name}` }, ...withResult };
}
