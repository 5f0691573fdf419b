// The DynamoDB data source against DynamoDB Local, with request objects built by the runtime's own
// @aws-appsync/utils/dynamodb helpers where they exist.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import * as ddb from '../../../../../sandbox/appsync/runtime/module-utils-dynamodb.ts';
import { executeDynamoDbRequest, type DataSourceOutcome } from '../../../../../sandbox/appsync/datasources/dynamodb.ts';
import { PaginationTokens } from '../../../../../sandbox/appsync/datasources/pagination-token.ts';
import { dynamoDbClient, launchDynamoDbLocal, sandboxCredentials, type DynamoDbLocal } from '../../../../../sandbox/dynamodb-local/launch.ts';
import { createTables } from '../../../../../sandbox/dynamodb-local/tables.ts';
import { quietLogger } from '../../dynamodb-local/local.ts';

interface Post {
  id: string; owner: string; createdAt: number; hidden: boolean; title: string; body: string;
  views: number; name: string; version: number; locked: boolean;
}

let local: DynamoDbLocal;
let client: DynamoDBClient;
const run = (request: unknown, table = 'Posts'): Promise<DataSourceOutcome> => executeDynamoDbRequest(client, table, request);

beforeAll(async () => {
  local = await launchDynamoDbLocal({ log: quietLogger() });
  client = dynamoDbClient(local.endpoint);
  await createTables(client, [{
    tableName: 'Posts',
    properties: {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'owner', AttributeType: 'S' }, { AttributeName: 'createdAt', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{
        IndexName: 'byOwner', Projection: { ProjectionType: 'ALL' },
        KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
      }],
    },
  }]);
  for (let n = 1; n <= 5; n += 1) {
    await run(ddb.put<Post>({ key: { id: `ann-${n}` }, item: { owner: 'ann', createdAt: n, hidden: n === 3 } }));
  }
});

afterAll(async () => {
  client.destroy();
  await local.stop();
});

/** One item with every DynamoDB type, as typed values. */
const everyType = {
  id: { S: 'typed' }, text: { S: 'hello' }, count: { N: 42 }, price: { N: '1.50' }, data: { B: 'AAEC' }, flag: { BOOL: true }, nothing: { NULL: null },
  tags: { SS: ['b', 'a'] }, scores: { NS: [3, 1] }, blobs: { BS: ['AQ==', 'Ag=='] }, list: { L: [{ S: 'x' }, { N: 1 }] }, map: { M: { nested: { S: 'y' } } },
};

describe('executeDynamoDbRequest: single items', () => {
  it('puts an item and returns the item written as plain JSON', async () => {
    const outcome = await run(ddb.put<Post>({ key: { id: 'p1' }, item: { title: 'Hello', views: 1 } }));

    expect(outcome).toEqual({ result: { id: 'p1', title: 'Hello', views: 1 } });
  });

  it('gets an item as plain JSON', async () => {
    await run(ddb.put<Post>({ key: { id: 'p2' }, item: { title: 'Two' } }));

    const outcome = await run(ddb.get<Post>({ key: { id: 'p2' }, consistentRead: true }));

    expect(outcome).toEqual({ result: { id: 'p2', title: 'Two' } });
  });

  it('gets only the projected attributes', async () => {
    await run(ddb.put<Post>({ key: { id: 'p3' }, item: { title: 'Three', body: 'long' } }));

    const outcome = await run(ddb.get<Post>({ key: { id: 'p3' }, projection: ['title'] }));

    expect(outcome).toEqual({ result: { title: 'Three' } });
  });

  it('returns null for an item that does not exist', async () => {
    const outcome = await run(ddb.get<Post>({ key: { id: 'missing' } }));

    expect(outcome).toEqual({ result: null });
  });

  it("returns every attribute type as AppSync's response type system does", async () => {
    await run({ operation: 'PutItem', key: { id: everyType.id }, attributeValues: everyType });

    const outcome = await run(ddb.get<Post>({ key: { id: 'typed' } }));

    expect(outcome).toEqual({
      result: {
        id: 'typed', text: 'hello', count: 42, price: 1.5, data: 'AAEC', flag: true, nothing: null,
        tags: expect.arrayContaining(['a', 'b']), scores: expect.arrayContaining([1, 3]), blobs: expect.arrayContaining(['AQ==', 'Ag==']),
        list: ['x', 1], map: { nested: 'y' },
      },
    });
  });

  it('updates an item and returns it as it is after the update', async () => {
    await run(ddb.put<Post>({ key: { id: 'u1' }, item: { views: 1, title: 'Old' } }));

    const outcome = await run(ddb.update<Post>({ key: { id: 'u1' }, update: { views: ddb.operations.increment(2), title: 'New' } }));

    expect(outcome).toEqual({ result: { id: 'u1', views: 3, title: 'New' } });
  });

  it('deletes an item and returns it as it was', async () => {
    await run(ddb.put<Post>({ key: { id: 'd1' }, item: { title: 'Gone' } }));

    const outcome = await run(ddb.remove<Post>({ key: { id: 'd1' } }));

    expect(outcome).toEqual({ result: { id: 'd1', title: 'Gone' } });
    expect(await run(ddb.get<Post>({ key: { id: 'd1' } }))).toEqual({ result: null });
  });

  it('returns null when deleting an item that does not exist', async () => {
    const outcome = await run(ddb.remove<Post>({ key: { id: 'never' } }));

    expect(outcome).toEqual({ result: null });
  });
});

describe('executeDynamoDbRequest: conditions', () => {
  it('reports a failed PutItem condition as ConditionalCheckFailedException with the current item in ctx.result', async () => {
    await run(ddb.put<Post>({ key: { id: 'c1' }, item: { title: 'First' } }));

    const outcome = await run(ddb.put<Post>({ key: { id: 'c1' }, item: { title: 'Second' }, condition: { id: { attributeExists: false } } }));

    expect(outcome).toEqual({
      error: { type: 'DynamoDB:ConditionalCheckFailedException', message: expect.stringMatching(/^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: .+\)$/) },
      result: { id: 'c1', title: 'First' },
    });
    expect(await run(ddb.get<Post>({ key: { id: 'c1' } }))).toEqual({ result: { id: 'c1', title: 'First' } });
  });

  it('treats a failed PutItem condition as a success when DynamoDB already holds the item written', async () => {
    const request = { operation: 'PutItem', key: { id: { S: 'same' } }, attributeValues: { ...everyType, id: { S: 'same' } } };
    await run(request);

    const outcome = await run({ ...request, attributeValues: { ...request.attributeValues, tags: { SS: ['a', 'b'] }, price: { N: 1.5 } }, condition: { expression: 'attribute_not_exists(id)' } });

    expect(outcome).toEqual({ result: expect.objectContaining({ id: 'same', price: 1.5 }) });
  });

  it('ignores the equalsIgnore attributes when comparing the current item with the one written', async () => {
    await run(ddb.put<Post>({ key: { id: 'v1' }, item: { name: 'Steve', version: 8 } }));

    const outcome = await run({
      ...ddb.put<Post>({ key: { id: 'v1' }, item: { name: 'Steve', version: 2 } }),
      condition: { expression: 'version = :expected', expressionValues: { ':expected': { N: 1 } }, equalsIgnore: ['version'] },
    });

    expect(outcome).toEqual({ result: { id: 'v1', name: 'Steve', version: 8 } });
  });

  it('reports a failed UpdateItem condition with the current item in ctx.result', async () => {
    await run(ddb.put<Post>({ key: { id: 'c2' }, item: { version: 5 } }));

    const outcome = await run(ddb.update<Post>({ key: { id: 'c2' }, update: { version: 6 }, condition: { version: { eq: 4 } } }));

    expect(outcome).toMatchObject({ error: { type: 'DynamoDB:ConditionalCheckFailedException' }, result: { id: 'c2', version: 5 } });
  });

  it('reports a failed UpdateItem condition on a missing item with a null ctx.result', async () => {
    const outcome = await run(ddb.update<Post>({ key: { id: 'absent' }, update: { version: 1 }, condition: { id: { attributeExists: true } } }));

    expect(outcome).toMatchObject({ error: { type: 'DynamoDB:ConditionalCheckFailedException' }, result: null });
  });

  it('treats a failed DeleteItem condition as a success when the item is already gone', async () => {
    const outcome = await run(ddb.remove<Post>({ key: { id: 'gone' }, condition: { id: { attributeExists: true } } }));

    expect(outcome).toEqual({ result: null });
  });

  it('reports a failed DeleteItem condition with the current item in ctx.result', async () => {
    await run(ddb.put<Post>({ key: { id: 'c3' }, item: { locked: true } }));

    const outcome = await run(ddb.remove<Post>({ key: { id: 'c3' }, condition: { locked: { eq: false } } }));

    expect(outcome).toMatchObject({ error: { type: 'DynamoDB:ConditionalCheckFailedException' }, result: { id: 'c3', locked: true } });
  });

  it('refuses a Custom conditionalCheckFailedHandler, which would call a Lambda function', async () => {
    const outcome = await run({
      ...ddb.put<Post>({ key: { id: 'custom' }, item: {} }),
      condition: { expression: 'attribute_not_exists(id)', conditionalCheckFailedHandler: { strategy: 'Custom', lambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' } },
    });

    expect(outcome).toEqual({ error: { type: 'MappingTemplate', message: expect.stringContaining('Custom') } });
  });
});

describe('executeDynamoDbRequest: Query and Scan', () => {
  it('queries a GSI with a filter, page by page through nextToken', async () => {
    const pages: { items: { id: string }[]; nextToken: string | null; scannedCount: number }[] = [];
    let nextToken: string | undefined;
    do {
      const outcome = await run(ddb.query<Post>({ index: 'byOwner', query: { owner: { eq: 'ann' } }, filter: { hidden: { eq: false } }, limit: 2, ...(nextToken ? { nextToken } : {}) }));
      const page = (outcome as { result: (typeof pages)[number] }).result;
      pages.push(page);
      nextToken = page.nextToken ?? undefined;
    } while (nextToken !== undefined && pages.length < 10);

    expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(['ann-1', 'ann-2', 'ann-4', 'ann-5']);
    expect(pages.map((page) => page.scannedCount)).toEqual([2, 2, 1]);
    expect(pages.map((page) => typeof page.nextToken)).toEqual(['string', 'string', 'object']);
  });

  it('queries backwards and returns only the projected attributes', async () => {
    const outcome = await run(ddb.query<Post>({ index: 'byOwner', query: { owner: { eq: 'ann' }, createdAt: { ge: 4 } }, scanIndexForward: false, projection: ['id'], select: 'SPECIFIC_ATTRIBUTES' }));

    expect(outcome).toEqual({ result: { items: [{ id: 'ann-5' }, { id: 'ann-4' }], nextToken: null, scannedCount: 2 } });
  });

  it('scans with a filter', async () => {
    const outcome = await run(ddb.scan<Post>({ filter: { owner: { eq: 'ann' }, hidden: { eq: true } }, consistentRead: true }));

    expect(outcome).toMatchObject({ result: { items: [{ id: 'ann-3', owner: 'ann', createdAt: 3, hidden: true }], nextToken: null } });
  });

  it('scans one segment of a parallel scan', async () => {
    const segments = await Promise.all([0, 1].map((segment) => run(ddb.scan<Post>({ segment, totalSegments: 2, filter: { owner: { eq: 'ann' } } }))));

    const ids = segments.flatMap((outcome) => (outcome as { result: { items: { id: string }[] } }).result.items.map((item) => item.id));
    expect(ids.sort()).toEqual(['ann-1', 'ann-2', 'ann-3', 'ann-4', 'ann-5']);
  });
});

describe('executeDynamoDbRequest: errors', () => {
  it("reports DynamoDB's ValidationException", async () => {
    const outcome = await run({ operation: 'Query', query: { expression: 'id = :id' } });

    expect(outcome).toEqual({ error: { type: 'DynamoDB:ValidationException', message: expect.stringContaining(':id') } });
  });

  it('reports a missing table as ResourceNotFoundException', async () => {
    const outcome = await run(ddb.get<Post>({ key: { id: 'x' } }), 'NoSuchTable');

    expect(outcome).toMatchObject({ error: { type: 'DynamoDB:ResourceNotFoundException' } });
  });

  it.each([
    ['a request that is not an object', 'GetItem', /must be an object with an `operation`/],
    ['an unknown operation', { operation: 'PutItems', key: { id: { S: 'bad-1' } } }, /Unsupported DynamoDB operation "PutItems"/],
    ['a missing key', { operation: 'PutItem', attributeValues: { id: { S: 'bad-2' } } }, /^key is required$/],
    ['an empty key', { operation: 'DeleteItem', key: {} }, /key must name the item's key attributes/],
    ['a key that is not typed values', { operation: 'PutItem', key: { id: 'bad-3' } }, /key.id must be a DynamoDB typed value/],
    ['a value of the wrong type', { operation: 'PutItem', key: { id: { S: 'bad-4' } }, attributeValues: { n: { N: 'many' } } }, /attributeValues.n must be a DynamoDB typed value/],
    ['a nested value of the wrong type', { operation: 'PutItem', key: { id: { S: 'bad-5' } }, attributeValues: { l: { L: [{ X: 1 }] } } }, /attributeValues.l\[0\] must be/],
    ['attribute values that are not an object', { operation: 'PutItem', key: { id: { S: 'bad-6' } }, attributeValues: [] }, /attributeValues must be an object/],
    ['an update without its update section', { operation: 'UpdateItem', key: { id: { S: 'bad-7' } } }, /`update` is required/],
    ['an empty condition expression', { operation: 'PutItem', key: { id: { S: 'bad-8' } }, condition: { expression: '' } }, /`condition.expression` must be a non-empty string/],
    ['expression names that are not strings', { operation: 'PutItem', key: { id: { S: 'bad-9' } }, condition: { expression: '#a = :a', expressionNames: { '#a': 1 } } }, /`condition.expressionNames` must map/],
    ['equalsIgnore that is not a list', { operation: 'PutItem', key: { id: { S: 'bad-10' } }, condition: { expression: 'attribute_not_exists(id)', equalsIgnore: 'v' } }, /`equalsIgnore` must be a list/],
    ['a negative limit', { operation: 'Scan', limit: -1 }, /`limit` must be a non-negative integer/],
    ['an unknown select', { operation: 'Scan', select: 'EVERYTHING' }, /`select` must be one of/],
    ['a nextToken that is not a string', { operation: 'Scan', nextToken: 5 }, /`nextToken` must be a string/],
    ['one name placeholder for two attributes', { operation: 'Query', query: { expression: '#a = :a', expressionNames: { '#a': 'owner' }, expressionValues: { ':a': { S: 'ann' } } }, filter: { expression: '#a = :b', expressionNames: { '#a': 'title' }, expressionValues: { ':b': { S: 'x' } } } }, /#a stands for both 'owner' and 'title'/],
    ['one value placeholder for two values', { operation: 'Query', query: { expression: 'owner = :a', expressionValues: { ':a': { S: 'ann' } } }, filter: { expression: 'title = :a', expressionValues: { ':a': { S: 'x' } } } }, /:a is given two different values/],
    ['a Sync request', { operation: 'Sync', limit: 10 }, /Sync needs a versioned data source/],
  ])('refuses %s as a MappingTemplate error and writes nothing', async (_case, request, message) => {
    const before = await client.send(new ScanCommand({ TableName: 'Posts', Select: 'COUNT', ConsistentRead: true }));

    const outcome = await run(request);

    expect(outcome).toEqual({ error: { type: 'MappingTemplate', message: expect.stringMatching(message) } });
    const after = await client.send(new ScanCommand({ TableName: 'Posts', Select: 'COUNT', ConsistentRead: true }));
    expect(after.Count).toBe(before.Count);
  });

  it('accepts placeholders that two sections share with the same meaning', async () => {
    const outcome = await run({
      operation: 'Query', index: 'byOwner',
      query: { expression: '#o = :o', expressionNames: { '#o': 'owner' }, expressionValues: { ':o': { S: 'ann' } } },
      filter: { expression: 'title <> :o', expressionValues: { ':o': { S: 'ann' } } },
      projection: { expression: '#o, id', expressionNames: { '#o': 'owner' } }, limit: 1,
    });

    expect(outcome).toMatchObject({ result: { items: [{ id: 'ann-1', owner: 'ann' }] } });
  });

  it('throws, rather than answering for DynamoDB, when DynamoDB cannot be reached', async () => {
    const unreachable = new DynamoDBClient({ ...sandboxCredentials, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });

    await expect(executeDynamoDbRequest(unreachable, 'Posts', ddb.get<Post>({ key: { id: 'x' } }))).rejects.toThrow(/ECONNREFUSED/);
    unreachable.destroy();
  });

  it('stores binary values as bytes', async () => {
    await run({ operation: 'PutItem', key: { id: { S: 'bin' } }, attributeValues: { data: { B: 'AAEC' } } });

    const { Item } = await client.send(new GetItemCommand({ TableName: 'Posts', Key: { id: { S: 'bin' } } }));

    expect(Array.from(Item?.['data']?.B ?? [])).toEqual([0, 1, 2]);
  });

  it('writes numbers given unquoted, as AppSync writes them, as DynamoDB numbers', async () => {
    await run({ operation: 'PutItem', key: { id: { S: 'num' } }, attributeValues: { n: { N: 7 }, set: { NS: [1, '2'] } } });

    const { Item } = await client.send(new GetItemCommand({ TableName: 'Posts', Key: { id: { S: 'num' } } }));

    expect(Item?.['n']).toEqual({ N: '7' });
    expect(Item?.['set']?.NS?.sort()).toEqual(['1', '2']);
  });
});

describe('executeDynamoDbRequest: nextToken', () => {
  const INVALID_TOKEN = {
    error: { type: 'DynamoDB:UserIllegalArgumentException', message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.' },
  };
  const ann = { tokens: new PaginationTokens(), caller: 'ann' };
  const firstPage = async (request: Record<string, unknown>, paging = ann): Promise<string> =>
    ((await executeDynamoDbRequest(client, 'Posts', { ...request, limit: 1 }, paging)) as { result: { nextToken: string } }).result.nextToken;

  it.each([
    ['a string it did not issue', { operation: 'Scan', nextToken: 'not a token' }],
    ['a key written out as a token would be if it were not sealed', { operation: 'Scan', nextToken: Buffer.from(JSON.stringify({ id: { S: 'ann-1' } })).toString('base64url') }],
  ])('refuses %s with AppSync\'s invalid-token error, before DynamoDB', async (_case, request) => {
    expect(await executeDynamoDbRequest(client, 'Posts', request, ann)).toEqual(INVALID_TOKEN);
  });

  it('refuses a token given to another caller', async () => {
    const token = await firstPage({ operation: 'Scan' });

    expect(await executeDynamoDbRequest(client, 'Posts', { operation: 'Scan', nextToken: token }, { ...ann, caller: 'bob' })).toEqual(INVALID_TOKEN);
  });

  it('refuses a token an index gave when the table is read, and the other way round', async () => {
    const fromIndex = await firstPage(ddb.query<Post>({ index: 'byOwner', query: { owner: { eq: 'ann' } } }));
    const fromTable = await firstPage({ operation: 'Scan' });

    expect(await executeDynamoDbRequest(client, 'Posts', { operation: 'Scan', nextToken: fromIndex }, ann)).toEqual(INVALID_TOKEN);
    expect(await executeDynamoDbRequest(client, 'Posts', { ...ddb.query<Post>({ index: 'byOwner', query: { owner: { eq: 'ann' } } }), nextToken: fromTable }, ann)).toEqual(INVALID_TOKEN);
  });

  it('refuses a token sealed with another run\'s key', async () => {
    const token = await firstPage({ operation: 'Scan' }, { tokens: new PaginationTokens(), caller: 'ann' });

    expect(await executeDynamoDbRequest(client, 'Posts', { operation: 'Scan', nextToken: token }, ann)).toEqual(INVALID_TOKEN);
  });
});

describe('executeDynamoDbRequest: pagination over binary keys', () => {
  it('returns a nextToken that carries a binary key to the next page', async () => {
    await createTables(client, [{ tableName: 'Blobs', properties: { KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'B' }], BillingMode: 'PAY_PER_REQUEST' } }]);
    for (const k of ['AQ==', 'Ag==', 'Aw==']) await client.send(new PutItemCommand({ TableName: 'Blobs', Item: { k: { B: Buffer.from(k, 'base64') } } }));
    const first = (await run({ operation: 'Scan', limit: 2 }, 'Blobs')) as { result: { items: { k: string }[]; nextToken: string } };

    const second = (await run({ operation: 'Scan', nextToken: first.result.nextToken }, 'Blobs')) as { result: { items: { k: string }[] } };

    expect([...first.result.items, ...second.result.items].map((item) => item.k).sort()).toEqual(['AQ==', 'Ag==', 'Aw==']);
  });
});
