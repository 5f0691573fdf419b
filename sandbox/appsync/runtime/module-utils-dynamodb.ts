// The `@aws-appsync/utils/dynamodb` built-in module: helpers that build the request objects of
// AppSync's DynamoDB data source ("Amazon DynamoDB built-in module", "AWS AppSync JavaScript
// resolver function reference for DynamoDB").
import type {
  BatchDeleteInput, BatchGetInput, BatchPutInput, DynamoDBSyncInput, DynamoDBUpdateInput, GetInput, PutInput,
  QueryInput, RemoveInput, ScanInput, TransactGetInput, TransactWriteInput,
} from '@aws-appsync/utils/lib/dynamodb-helpers.js';
import type {
  DynamoDBBatchDeleteItemRequest, DynamoDBBatchGetItemRequest, DynamoDBBatchPutItemRequest, DynamoDBDeleteItemRequest,
  DynamoDBGetItemRequest, DynamoDBProjectionExpression, DynamoDBPutItemRequest, DynamoDBQueryRequest, DynamoDBScanRequest,
  DynamoDBSyncRequest, DynamoDBTransactGetItemsRequest, DynamoDBTransactWriteItemsRequest, DynamoDBUpdateItemRequest,
} from '@aws-appsync/utils/lib/resolver-return-types.js';
import { buildConditionExpression, buildKeyConditionExpression, type DynamoDBExpressionParts } from './expression-builders/condition-expression.ts';
import { buildUpdateExpression } from './expression-builders/update-expression.ts';
import { UtilArgumentError } from './state.ts';
import { isPlainObject, toAttributeMap, type AttributeValue } from './util/attribute-values.ts';

export { operations } from './expression-builders/update-expression.ts';

type Input = Record<string, unknown>;
type Expression = { expression: string; expressionNames?: Record<string, string>; expressionValues?: Record<string, AttributeValue> };

function input(helper: string, payload: unknown): Input {
  if (!isPlainObject(payload)) throw new UtilArgumentError(`${helper} expects an object`);
  return payload;
}

function attributes(helper: string, field: string, value: unknown): Record<string, AttributeValue> {
  if (!isPlainObject(value)) throw new UtilArgumentError(`${helper}: \`${field}\` must be an object`);
  return toAttributeMap(value);
}

/** The input's fields that are set (not null or undefined), copied as they are. */
function present(payload: Input, fields: readonly string[]): Input {
  return Object.fromEntries(fields.flatMap((field) => (payload[field] === undefined || payload[field] === null ? [] : [[field, payload[field]]])));
}

/** DynamoDB rejects empty name or value maps, so they are left out. */
function compact(parts: DynamoDBExpressionParts | Expression): Expression {
  const result: Expression = { expression: parts.expression };
  if (parts.expressionNames !== undefined && Object.keys(parts.expressionNames).length > 0) result.expressionNames = parts.expressionNames;
  if (parts.expressionValues !== undefined && Object.keys(parts.expressionValues).length > 0) result.expressionValues = parts.expressionValues;
  return result;
}

/** A filter or condition object as an expression, or nothing when it has no term. */
function optionalCondition(helper: string, field: string, payload: Input): Record<string, Expression> {
  const value = payload[field];
  if (value === undefined || value === null) return {};
  const parts = buildConditionExpression(value, `${helper} ${field}`);
  return parts.expression === '' ? {} : { [field]: compact(parts) };
}

/**
 * projection: ['id', 'nested.object[1]'] -> '#projection_1, #projection_2.#projection_3[1]'.
 * AWS documents no naming for the module's projection; each distinct name gets the next number.
 */
function projection(helper: string, value: unknown): { projection?: DynamoDBProjectionExpression } {
  if (value === undefined || value === null) return {};
  if (!Array.isArray(value) || value.length === 0 || !value.every((item): item is string => typeof item === 'string' && item !== '')) {
    throw new UtilArgumentError(`${helper}: projection must be a non-empty array of attribute paths`);
  }
  const names = new Map<string, string>();
  const placeholder = (name: string): string => {
    if (!names.has(name)) names.set(name, `#projection_${names.size + 1}`);
    return names.get(name) as string;
  };
  const paths = value.map((path) =>
    path.split('.').map((segment) => {
      const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
      if (match === null) throw new UtilArgumentError(`${helper}: projection path '${path}' is not an attribute path`);
      return `${placeholder(match[1] as string)}${match[2] ?? ''}`;
    }).join('.'),
  );
  return { projection: { expression: paths.join(', '), expressionNames: Object.fromEntries([...names].map(([name, p]) => [p, name])) } };
}

const WRITE_OPTIONS = ['customPartitionKey', 'populateIndexFields', '_version'] as const;

export function get<T>(payload: GetInput<T>): DynamoDBGetItemRequest {
  const args = input('get', payload);
  return {
    operation: 'GetItem',
    key: attributes('get', 'key', args['key']),
    ...present(args, ['consistentRead']),
    ...projection('get', args['projection']),
  };
}

export function put<T>(payload: PutInput<T>): DynamoDBPutItemRequest {
  const args = input('put', payload);
  return {
    operation: 'PutItem',
    key: attributes('put', 'key', args['key']),
    attributeValues: attributes('put', 'item', args['item']),
    ...optionalCondition('put', 'condition', args),
    ...present(args, WRITE_OPTIONS),
  };
}

export function remove<T>(payload: RemoveInput<T>): DynamoDBDeleteItemRequest {
  const args = input('remove', payload);
  return {
    operation: 'DeleteItem',
    key: attributes('remove', 'key', args['key']),
    ...optionalCondition('remove', 'condition', args),
    ...present(args, WRITE_OPTIONS),
  };
}

export function update<T>(payload: DynamoDBUpdateInput<T>): DynamoDBUpdateItemRequest {
  const args = input('update', payload);
  return {
    operation: 'UpdateItem',
    key: attributes('update', 'key', args['key']),
    update: buildUpdateExpression(args['update']),
    ...optionalCondition('update', 'condition', args),
    ...present(args, WRITE_OPTIONS),
  };
}

const READ_OPTIONS = ['index', 'nextToken', 'limit', 'consistentRead', 'select'] as const;

export function query<T>(payload: QueryInput<T>): DynamoDBQueryRequest {
  const args = input('query', payload);
  const keyCondition = buildKeyConditionExpression(args['query'], 'query query');
  if (keyCondition.expression === '') throw new UtilArgumentError('query: `query` must hold a condition on the partition key');
  return {
    operation: 'Query',
    query: compact(keyCondition),
    ...present(args, [...READ_OPTIONS, 'scanIndexForward']),
    ...optionalCondition('query', 'filter', args),
    ...projection('query', args['projection']),
  };
}

export function scan<T>(payload: ScanInput<T>): DynamoDBScanRequest {
  const args = input('scan', payload);
  return {
    operation: 'Scan',
    ...present(args, [...READ_OPTIONS, 'totalSegments', 'segment']),
    ...optionalCondition('scan', 'filter', args),
    ...projection('scan', args['projection']),
  };
}

export function sync<T>(payload: DynamoDBSyncInput<T>): DynamoDBSyncRequest {
  const args = input('sync', payload);
  return {
    operation: 'Sync',
    ...present(args, ['basePartitionKey', 'deltaIndexName', 'limit', 'nextToken', 'lastSync']),
    ...optionalCondition('sync', 'filter', args),
  };
}

function tables(helper: string, payload: unknown): [string, unknown][] {
  const args = input(helper, payload);
  const byTable = args['tables'];
  if (!isPlainObject(byTable) || Object.keys(byTable).length === 0) {
    throw new UtilArgumentError(`${helper}: \`tables\` must map at least one table name to its requests`);
  }
  return Object.entries(byTable);
}

function attributeList(helper: string, table: string, value: unknown): Record<string, AttributeValue>[] {
  if (!Array.isArray(value)) throw new UtilArgumentError(`${helper}: table '${table}' must be given an array`);
  return value.map((item) => attributes(helper, `tables.${table}[]`, item));
}

export function batchGet(payload: BatchGetInput): DynamoDBBatchGetItemRequest {
  const requests = tables('batchGet', payload).map(([table, request]) => {
    const args = input(`batchGet table '${table}'`, request);
    return [table, {
      keys: attributeList('batchGet', table, args['keys']),
      ...present(args, ['consistentRead']),
      ...projection('batchGet', args['projection']),
    }] as const;
  });
  return { operation: 'BatchGetItem', tables: Object.fromEntries(requests) };
}

export function batchPut(payload: BatchPutInput): DynamoDBBatchPutItemRequest {
  const requests = tables('batchPut', payload).map(([table, items]) => [table, attributeList('batchPut', table, items)] as const);
  return { operation: 'BatchPutItem', tables: Object.fromEntries(requests) };
}

export function batchDelete(payload: BatchDeleteInput): DynamoDBBatchDeleteItemRequest {
  const requests = tables('batchDelete', payload).map(([table, keys]) => [table, attributeList('batchDelete', table, keys)] as const);
  return { operation: 'BatchDeleteItem', tables: Object.fromEntries(requests) };
}

function items(helper: string, payload: unknown): unknown[] {
  const list = input(helper, payload)['items'];
  if (!Array.isArray(list) || list.length === 0) throw new UtilArgumentError(`${helper}: \`items\` must be a non-empty array`);
  return list;
}

function tableName(helper: string, item: Input): string {
  const table = item['table'];
  if (typeof table !== 'string' || table === '') throw new UtilArgumentError(`${helper}: each item needs a \`table\` name`);
  return table;
}

export function transactGet(payload: TransactGetInput): DynamoDBTransactGetItemsRequest {
  const transactItems = items('transactGet', payload).map((item) => {
    const args = input('transactGet item', item);
    return { table: tableName('transactGet', args), key: attributes('transactGet', 'key', args['key']), ...projection('transactGet', args['projection']) };
  });
  return { operation: 'TransactGetItems', transactItems };
}

const TRANSACT_WRITES = { putItem: 'PutItem', updateItem: 'UpdateItem', deleteItem: 'DeleteItem', conditionCheck: 'ConditionCheck' } as const;

export function transactWrite(payload: TransactWriteInput): DynamoDBTransactWriteItemsRequest {
  const transactItems = items('transactWrite', payload).map((item) => {
    const kinds = isPlainObject(item) ? Object.keys(item).filter((kind): kind is keyof typeof TRANSACT_WRITES => kind in TRANSACT_WRITES) : [];
    const kind = kinds[0];
    if (kinds.length !== 1 || kind === undefined) {
      throw new UtilArgumentError(`transactWrite: each item must be exactly one of ${Object.keys(TRANSACT_WRITES).join(', ')}`);
    }
    const helper = `transactWrite ${kind}`;
    const args = input(helper, (item as Input)[kind]);
    const base = { table: tableName(helper, args), operation: TRANSACT_WRITES[kind], key: attributes(helper, 'key', args['key']) };
    const condition = optionalCondition(helper, 'condition', args);
    if (kind === 'putItem') return { ...base, attributeValues: attributes(helper, 'item', args['item']), ...condition };
    if (kind === 'updateItem') return { ...base, update: buildUpdateExpression(args['update']), ...condition };
    if (kind === 'conditionCheck' && condition['condition'] === undefined) {
      throw new UtilArgumentError('transactWrite conditionCheck: `condition` must hold at least one condition');
    }
    return { ...base, ...condition };
  });
  return { operation: 'TransactWriteItems', transactItems } as DynamoDBTransactWriteItemsRequest;
}

// The module's set helpers. Their typings document `toNumberSet([1, 2, 3])` as { "NS": ["1", "2", "3"] }:
// unlike util.dynamodb.toNumberSet, the module writes numbers as strings.
export function toStringSet(list: string[]): { SS: string[] } {
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) throw new UtilArgumentError('toStringSet expects an array of strings');
  return { SS: [...list] };
}

export function toNumberSet(numbers: number[]): { NS: string[] } {
  if (!Array.isArray(numbers) || !numbers.every((item) => typeof item === 'number' && Number.isFinite(item))) {
    throw new UtilArgumentError('toNumberSet expects an array of finite numbers');
  }
  return { NS: numbers.map(String) };
}

export function toBinarySet(values: string[]): { BS: string[] } {
  if (!Array.isArray(values) || !values.every((item) => typeof item === 'string')) throw new UtilArgumentError('toBinarySet expects an array of base64 strings');
  return { BS: [...values] };
}
