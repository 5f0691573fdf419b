// The DynamoDB data source: runs the request object an APPSYNC_JS request handler returns against DynamoDB Local
// and returns ctx.result / ctx.error as "AWS AppSync JavaScript resolver function reference for DynamoDB" documents.
import {
  ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  UpdateItemCommand, type DynamoDBClient, type QueryCommandInput, type QueryCommandOutput, type ReturnValuesOnConditionCheckFailure, type Select,
} from '@aws-sdk/client-dynamodb';
import { BATCH_OPERATIONS } from './dynamodb-batch.ts';
import {
  decodeNextToken, encodeNextToken, expression, fail, isObject, optional, optionalBoolean, optionalInteger, optionalString,
  placeholders, requiredKey, toAttributeMap, type AttributeMap, type Expression, type Fields, type Paging,
} from './dynamodb-request.ts';
import { failure, itemOrNull, itemToJson, sameItem } from './dynamodb-response.ts';
import type { DataSourceOutcome } from './outcome.ts';
import { PaginationTokens } from './pagination-token.ts';

export type { DataSourceOutcome } from './outcome.ts';

type Operation = (client: DynamoDBClient, table: string, request: Fields, paging: Paging) => Promise<DataSourceOutcome>;

interface Condition extends Expression {
  equalsIgnore: string[];
}

const ALL_OLD_ON_FAILURE = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as ReturnValuesOnConditionCheckFailure };

/** "Condition expressions": equalsIgnore and conditionalCheckFailedHandler; a Custom (Lambda) handler is not emulated. */
function condition(request: Fields): Condition | undefined {
  const parts = expression(request, 'condition');
  if (parts === undefined) return undefined;
  const section = request['condition'] as Fields;
  const equalsIgnore = optional(section, 'equalsIgnore', (value): value is string[] => Array.isArray(value) && value.every((name) => typeof name === 'string'), 'a list of attribute names') ?? [];
  const handler = section['conditionalCheckFailedHandler'];
  if (isObject(handler) && handler['strategy'] === 'Custom') fail('conditionalCheckFailedHandler strategy Custom (a Lambda function) is not supported by the sandbox; use Reject');
  return { ...parts, equalsIgnore };
}

function projection(request: Fields): { ProjectionExpression?: string; projection?: Expression } {
  const parts = expression(request, 'projection');
  return parts === undefined ? {} : { ProjectionExpression: parts.expression, projection: parts };
}

/** The Reject strategy: the error, with the item now in DynamoDB (or null) in ctx.result. */
async function conditional(attempt: () => Promise<DataSourceOutcome>, accept: (current: AttributeMap | undefined) => boolean): Promise<DataSourceOutcome> {
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) return failure(error);
    // "Handling a condition check failure": AppSync treats the call as a success when DynamoDB already holds the desired result.
    if (accept(error.Item)) return { result: itemOrNull(error.Item) };
    return failure(error, itemOrNull(error.Item));
  }
}

const getItem: Operation = async (client, table, request) => {
  const { projection: names, ProjectionExpression } = projection(request);
  const output = await client.send(new GetItemCommand({
    TableName: table, Key: requiredKey(request['key'], 'key'), ConsistentRead: optionalBoolean(request, 'consistentRead'),
    ProjectionExpression, ...placeholders(names),
  }));
  return { result: itemOrNull(output.Item) };
};

const putItem: Operation = async (client, table, request) => {
  const key = requiredKey(request['key'], 'key');
  const item = { ...toAttributeMap(request['attributeValues'] ?? {}, 'attributeValues'), ...key };
  const check = condition(request);
  return conditional(async () => {
    await client.send(new PutItemCommand({
      TableName: table, Item: item, ConditionExpression: check?.expression, ...placeholders(check), ...ALL_OLD_ON_FAILURE,
    }));
    return { result: itemToJson(item) };
  }, (current) => current !== undefined && sameItem(current, item, check?.equalsIgnore));
};

const updateItem: Operation = async (client, table, request) => {
  const key = requiredKey(request['key'], 'key');
  const update = expression(request, 'update', true);
  const check = condition(request);
  return conditional(async () => {
    const output = await client.send(new UpdateItemCommand({
      TableName: table, Key: key, UpdateExpression: update?.expression, ConditionExpression: check?.expression,
      ...placeholders(update, check), ReturnValues: 'ALL_NEW', ...ALL_OLD_ON_FAILURE,
    }));
    return { result: itemOrNull(output.Attributes) };
  }, () => false);
};

const deleteItem: Operation = async (client, table, request) => {
  const key = requiredKey(request['key'], 'key');
  const check = condition(request);
  return conditional(async () => {
    const output = await client.send(new DeleteItemCommand({
      TableName: table, Key: key, ConditionExpression: check?.expression, ...placeholders(check), ReturnValues: 'ALL_OLD', ...ALL_OLD_ON_FAILURE,
    }));
    return { result: itemOrNull(output.Attributes) };
  }, (current) => current === undefined);
};

const SELECT = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'];

interface ReadOptions {
  options: Pick<QueryCommandInput, 'IndexName' | 'Limit' | 'ExclusiveStartKey' | 'ConsistentRead' | 'Select' | 'FilterExpression' | 'ProjectionExpression'>;
  sections: (Expression | undefined)[];
  /** The table and index the request pages: where its nextToken is good. */
  at: { table: string; index: string | undefined };
}

/** The options Query and Scan share, and their expression sections; a nextToken not given for this read is refused here. */
function readOptions(table: string, request: Fields, paging: Paging): ReadOptions {
  const select = optional(request, 'select', (value): value is Select => SELECT.includes(value as string), `one of ${SELECT.join(', ')}`);
  const { projection: names, ProjectionExpression } = projection(request);
  const filter = expression(request, 'filter');
  const at = { table, index: optionalString(request, 'index') };
  return {
    options: {
      IndexName: at.index, Limit: optionalInteger(request, 'limit'),
      ExclusiveStartKey: decodeNextToken(optionalString(request, 'nextToken'), paging, at), ConsistentRead: optionalBoolean(request, 'consistentRead'),
      Select: select, FilterExpression: filter?.expression, ProjectionExpression,
    },
    sections: [filter, names],
    at,
  };
}

/** "Query" and "Scan": { items, nextToken, scannedCount }. */
function page(output: Pick<QueryCommandOutput, 'Items' | 'LastEvaluatedKey' | 'ScannedCount'>, paging: Paging, at: ReadOptions['at']): DataSourceOutcome {
  const nextToken = encodeNextToken(output.LastEvaluatedKey, paging, at);
  return { result: { items: (output.Items ?? []).map(itemToJson), nextToken, scannedCount: output.ScannedCount ?? 0 } };
}

const query: Operation = async (client, table, request, paging) => {
  const keyCondition = expression(request, 'query', true);
  const { options, sections, at } = readOptions(table, request, paging);
  const output = await client.send(new QueryCommand({
    TableName: table, KeyConditionExpression: keyCondition?.expression, ScanIndexForward: optionalBoolean(request, 'scanIndexForward'),
    ...options, ...placeholders(keyCondition, ...sections),
  }));
  return page(output, paging, at);
};

const scan: Operation = async (client, table, request, paging) => {
  const { options, sections, at } = readOptions(table, request, paging);
  const output = await client.send(new ScanCommand({
    TableName: table, Segment: optionalInteger(request, 'segment'), TotalSegments: optionalInteger(request, 'totalSegments'),
    ...options, ...placeholders(...sections),
  }));
  return page(output, paging, at);
};

const OPERATIONS: Record<string, Operation> = {
  GetItem: getItem, PutItem: putItem, UpdateItem: updateItem, DeleteItem: deleteItem, Query: query, Scan: scan, ...BATCH_OPERATIONS,
};

/** Tokens for callers that bring none (direct calls, as the data source tests make): one key for the process. */
const PROCESS_PAGING: Paging = { tokens: new PaginationTokens(), caller: '' };

/**
 * Runs one request object against `defaultTableName` (batch and transaction requests name their tables).
 * Malformed requests come back as MappingTemplate errors and nothing is written; `_version` and the other
 * conflict-detection fields are ignored, as on a data source without versioning. Query and Scan page with `paging`:
 * the sandbox's tokens, sealed for the caller.
 */
export async function executeDynamoDbRequest(client: DynamoDBClient, defaultTableName: string, request: unknown, paging: Paging = PROCESS_PAGING): Promise<DataSourceOutcome> {
  try {
    if (!isObject(request)) fail('The DynamoDB request object must be an object with an `operation`');
    const operation = request['operation'];
    const run = typeof operation === 'string' && Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    if (run === undefined) fail(`Unsupported DynamoDB operation ${JSON.stringify(operation) ?? 'undefined'}; expected one of ${Object.keys(OPERATIONS).join(', ')}`);
    return await run(client, defaultTableName, request, paging);
  } catch (error) {
    return failure(error);
  }
}
