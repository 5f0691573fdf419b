// Batch and transaction requests of the DynamoDB data source; they name their own tables.
// Result shapes from the "BatchGetItem", "BatchPutItem", "BatchDeleteItem", "TransactGetItems" and "TransactWriteItems" pages.
import {
  BatchGetItemCommand, BatchWriteItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, TransactionCanceledException,
  type DynamoDBClient, type KeysAndAttributes, type TransactWriteItem, type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import {
  expression, fail, isObject, optional, optionalBoolean, placeholders, requiredKey, toAttributeMap,
  type AttributeMap, type Expression, type Fields,
} from './dynamodb-request.ts';
import { cancellationReasons, canonicalItem, failure, itemOrNull, itemToJson } from './dynamodb-response.ts';
import type { DataSourceOutcome } from './outcome.ts';

type Operation = (client: DynamoDBClient, table: string, request: Fields) => Promise<DataSourceOutcome>;

const fingerprint = (item: AttributeMap): string => JSON.stringify(canonicalItem(item));

/** `tables`: at least one table name, each with its requests. */
function tables(request: Fields): [string, unknown][] {
  const byTable = request['tables'];
  if (!isObject(byTable) || Object.keys(byTable).length === 0) fail('`tables` must map at least one table name to its requests');
  return Object.entries(byTable);
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(`${path} must be a non-empty list`);
  return value;
}

function projection(section: Fields): { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } {
  const parts = expression(section, 'projection');
  return parts === undefined ? {} : { ProjectionExpression: parts.expression, ...placeholders(parts) };
}

/** Unprocessed entries are null in `data` and listed in `unprocessed`, table by table. */
function batchResult(requested: [string, AttributeMap[]][], unprocessed: Record<string, AttributeMap[]>, found: (table: string, entry: AttributeMap) => unknown, name: string): DataSourceOutcome {
  const data: Record<string, unknown[]> = {};
  const left: Record<string, unknown[]> = {};
  for (const [table, entries] of requested) {
    const skipped = new Set((unprocessed[table] ?? []).map(fingerprint));
    data[table] = entries.map((entry) => (skipped.has(fingerprint(entry)) ? null : found(table, entry)));
    left[table] = (unprocessed[table] ?? []).map(itemToJson);
  }
  return { result: { data, [name]: left } };
}

const batchGetItem: Operation = async (client, _table, request) => {
  const requested = tables(request).map(([table, section]): [string, AttributeMap[], KeysAndAttributes] => {
    if (!isObject(section)) fail(`tables.${table} must be { keys, consistentRead?, projection? }`);
    const keys = list(section['keys'], `tables.${table}.keys`).map((key, index) => requiredKey(key, `tables.${table}.keys[${index}]`));
    return [table, keys, { Keys: keys, ConsistentRead: optionalBoolean(section, 'consistentRead'), ...projection(section) }];
  });
  const output = await client.send(new BatchGetItemCommand({ RequestItems: Object.fromEntries(requested.map(([table, , input]) => [table, input])) }));
  const unprocessed = Object.fromEntries(Object.entries(output.UnprocessedKeys ?? {}).map(([table, input]) => [table, input.Keys ?? []]));
  // DynamoDB returns the items in any order: each requested key finds its own item, or null.
  const responses = new Map(requested.map(([table, keys]) => {
    const items = output.Responses?.[table] ?? [];
    const names = Object.keys(keys[0] ?? {});
    return [table, new Map(items.map((item) => [fingerprint(Object.fromEntries(names.flatMap((name) => (item[name] === undefined ? [] : [[name, item[name]]])))), item]))];
  }));
  return batchResult(requested.map(([table, keys]) => [table, keys]), unprocessed, (table, key) => itemOrNull(responses.get(table)?.get(fingerprint(key))), 'unprocessedKeys');
};

function batchWrite(kind: 'put' | 'delete'): Operation {
  return async (client, _table, request) => {
    const requested = tables(request).map(([table, entries]): [string, AttributeMap[]] => [
      table,
      list(entries, `tables.${table}`).map((entry, index) => (kind === 'put' ? toAttributeMap(entry, `tables.${table}[${index}]`) : requiredKey(entry, `tables.${table}[${index}]`))),
    ]);
    const output = await client.send(new BatchWriteItemCommand({
      RequestItems: Object.fromEntries(requested.map(([table, entries]) => [
        table, entries.map((entry): WriteRequest => (kind === 'put' ? { PutRequest: { Item: entry } } : { DeleteRequest: { Key: entry } })),
      ])),
    }));
    const unprocessed = Object.fromEntries(Object.entries(output.UnprocessedItems ?? {}).map(([table, writes]) => [
      table, writes.map((write) => write.PutRequest?.Item ?? write.DeleteRequest?.Key ?? {}),
    ]));
    return batchResult(requested, unprocessed, (_name, entry) => itemToJson(entry), kind === 'put' ? 'unprocessedItems' : 'unprocessedKeys');
  };
}

function transactItems(request: Fields): Fields[] {
  return list(request['transactItems'], '`transactItems`').map((item, index) => {
    if (!isObject(item) || typeof item['table'] !== 'string' || item['table'] === '') fail(`transactItems[${index}] must name its \`table\``);
    return item;
  });
}

/** A cancelled transaction: the error, and ctx.result with the named field null and the reasons ("TransactWriteItems"). */
async function transaction(run: () => Promise<DataSourceOutcome>, field: 'items' | 'keys'): Promise<DataSourceOutcome> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) return failure(error);
    return failure(error, { [field]: null, cancellationReasons: cancellationReasons(error.CancellationReasons) });
  }
}

const transactGetItems: Operation = async (client, _table, request) => {
  const gets = transactItems(request).map((item, index) => ({
    Get: { TableName: item['table'] as string, Key: requiredKey(item['key'], `transactItems[${index}].key`), ...projection(item) },
  }));
  return transaction(async () => {
    const output = await client.send(new TransactGetItemsCommand({ TransactItems: gets }));
    return { result: { items: (output.Responses ?? []).map((response) => itemOrNull(response.Item)), cancellationReasons: null } };
  }, 'items');
};

/** "Transaction condition expressions": the existing item comes back unless returnValuesOnConditionCheckFailure is false. */
function transactCondition(item: Fields, index: number, required: boolean): { ConditionExpression?: string; parts?: Expression; ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE' } {
  const parts = expression(item, 'condition', required);
  if (parts === undefined) return {};
  const returnValues = optional(item['condition'] as Fields, 'returnValuesOnConditionCheckFailure', (value): value is boolean => typeof value === 'boolean', `a boolean in transactItems[${index}].condition`);
  return { ConditionExpression: parts.expression, parts, ReturnValuesOnConditionCheckFailure: returnValues === false ? 'NONE' : 'ALL_OLD' };
}

function transactWrite(item: Fields, index: number): { write: TransactWriteItem; key: AttributeMap } {
  const TableName = item['table'] as string;
  const Key = requiredKey(item['key'], `transactItems[${index}].key`);
  const operation = item['operation'];
  const { parts, ...check } = transactCondition(item, index, operation === 'ConditionCheck');
  switch (operation) {
    case 'PutItem':
      return { write: { Put: { TableName, Item: { ...toAttributeMap(item['attributeValues'] ?? {}, `transactItems[${index}].attributeValues`), ...Key }, ...check, ...placeholders(parts) } }, key: Key };
    case 'UpdateItem': {
      const update = expression(item, 'update', true);
      return { write: { Update: { TableName, Key, UpdateExpression: update?.expression, ...check, ...placeholders(update, parts) } }, key: Key };
    }
    case 'DeleteItem':
      return { write: { Delete: { TableName, Key, ...check, ...placeholders(parts) } }, key: Key };
    case 'ConditionCheck':
      return { write: { ConditionCheck: { TableName, Key, ConditionExpression: check.ConditionExpression, ...check, ...placeholders(parts) } }, key: Key };
    default:
      return fail(`transactItems[${index}].operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck, got ${JSON.stringify(operation) ?? 'undefined'}`);
  }
}

const transactWriteItems: Operation = async (client, _table, request) => {
  const writes = transactItems(request).map(transactWrite);
  return transaction(async () => {
    await client.send(new TransactWriteItemsCommand({ TransactItems: writes.map(({ write }) => write) }));
    return { result: { keys: writes.map(({ key }) => itemToJson(key)), cancellationReasons: null } };
  }, 'keys');
};

const sync: Operation = () => Promise.resolve(fail('Sync needs a versioned data source (conflict detection), which the sandbox does not emulate'));

export const BATCH_OPERATIONS: Record<string, Operation> = {
  BatchGetItem: batchGetItem,
  BatchPutItem: batchWrite('put'),
  BatchDeleteItem: batchWrite('delete'),
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  Sync: sync,
};
