// Batch and transaction requests of the DynamoDB data source against DynamoDB Local.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BatchGetItemCommand, BatchWriteItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as ddb from '../../../../../sandbox/appsync/runtime/module-utils-dynamodb.ts';
import { executeDynamoDbRequest, type DataSourceOutcome } from '../../../../../sandbox/appsync/datasources/dynamodb.ts';
import { dynamoDbClient, launchDynamoDbLocal, type DynamoDbLocal } from '../../../../../sandbox/dynamodb-local/launch.ts';
import { createTables } from '../../../../../sandbox/dynamodb-local/tables.ts';
import { quietLogger } from '../../dynamodb-local/local.ts';

let local: DynamoDbLocal;
let client: DynamoDBClient;
const run = (request: unknown): Promise<DataSourceOutcome> => executeDynamoDbRequest(client, 'Posts', request);

function table(tableName: string, keys: string[]): { tableName: string; properties: Record<string, unknown> } {
  return {
    tableName,
    properties: {
      KeySchema: keys.map((name, index) => ({ AttributeName: name, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
      AttributeDefinitions: keys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      BillingMode: 'PAY_PER_REQUEST',
    },
  };
}

async function count(tableName: string): Promise<number> {
  const { Count = 0 } = await client.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ConsistentRead: true }));
  return Count;
}

beforeAll(async () => {
  local = await launchDynamoDbLocal({ log: quietLogger() });
  client = dynamoDbClient(local.endpoint);
  await createTables(client, [table('Authors', ['authorId']), table('Posts', ['authorId', 'postId'])]);
});

afterAll(async () => {
  client.destroy();
  await local.stop();
});

describe('executeDynamoDbRequest: batches across two tables', () => {
  it('puts items in two tables and returns them per table, with nothing unprocessed', async () => {
    const outcome = await run(ddb.batchPut({ tables: {
      Authors: [{ authorId: 'a1', name: 'Ann' }],
      Posts: [{ authorId: 'a1', postId: 'p1', title: 'One' }, { authorId: 'a1', postId: 'p2', title: 'Two' }],
    } }));

    expect(outcome).toEqual({ result: {
      data: { Authors: [{ authorId: 'a1', name: 'Ann' }], Posts: [{ authorId: 'a1', postId: 'p1', title: 'One' }, { authorId: 'a1', postId: 'p2', title: 'Two' }] },
      unprocessedItems: { Authors: [], Posts: [] },
    } });
  });

  it('gets items from two tables in the order asked, with null for an item that does not exist', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'a2', name: 'Bob' }], Posts: [{ authorId: 'a2', postId: 'p1', title: 'Hi' }, { authorId: 'a2', postId: 'p2', title: 'Yo' }] } }));

    const outcome = await run(ddb.batchGet({ tables: {
      Authors: { keys: [{ authorId: 'nobody' }, { authorId: 'a2' }], consistentRead: true },
      Posts: { keys: [{ authorId: 'a2', postId: 'p2' }, { authorId: 'a2', postId: 'p1' }] },
    } }));

    expect(outcome).toEqual({ result: {
      data: { Authors: [null, { authorId: 'a2', name: 'Bob' }], Posts: [{ authorId: 'a2', postId: 'p2', title: 'Yo' }, { authorId: 'a2', postId: 'p1', title: 'Hi' }] },
      unprocessedKeys: { Authors: [], Posts: [] },
    } });
  });

  it('gets only the projected attributes in a batch', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'a3', name: 'Cy', bio: 'long' }] } }));

    const outcome = await run(ddb.batchGet({ tables: { Authors: { keys: [{ authorId: 'a3' }], projection: ['authorId', 'name'] } } }));

    expect(outcome).toMatchObject({ result: { data: { Authors: [{ authorId: 'a3', name: 'Cy' }] } } });
  });

  it('deletes items from two tables and returns their keys', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'a4' }], Posts: [{ authorId: 'a4', postId: 'p1' }] } }));

    const outcome = await run(ddb.batchDelete({ tables: { Authors: [{ authorId: 'a4' }], Posts: [{ authorId: 'a4', postId: 'p1' }] } }));

    expect(outcome).toEqual({ result: { data: { Authors: [{ authorId: 'a4' }], Posts: [{ authorId: 'a4', postId: 'p1' }] }, unprocessedKeys: { Authors: [], Posts: [] } } });
    expect(await run(ddb.batchGet({ tables: { Authors: { keys: [{ authorId: 'a4' }] } } }))).toMatchObject({ result: { data: { Authors: [null] } } });
  });

  it("reports DynamoDB's refusal of a batch naming a missing table", async () => {
    const outcome = await run(ddb.batchPut({ tables: { Nowhere: [{ id: 'x' }] } }));

    expect(outcome).toMatchObject({ error: { type: 'DynamoDB:ResourceNotFoundException' } });
  });
});

/**
 * A client whose DynamoDB processes only the first request of each batch and hands the rest back unprocessed,
 * as DynamoDB does when throttled; DynamoDB Local itself always processes everything.
 */
function throttled(): DynamoDBClient {
  const partial = Object.create(client) as DynamoDBClient;
  partial.send = (async (command: Parameters<DynamoDBClient['send']>[0]) => {
    if (command instanceof BatchWriteItemCommand) {
      const [[name, writes = []]] = Object.entries(command.input.RequestItems ?? {}) as [[string, NonNullable<BatchWriteItemCommand['input']['RequestItems']>[string]]];
      await client.send(new BatchWriteItemCommand({ RequestItems: { [name]: writes.slice(0, 1) } }));
      return { UnprocessedItems: { [name]: writes.slice(1) } };
    }
    if (command instanceof BatchGetItemCommand) {
      const [[name, request]] = Object.entries(command.input.RequestItems ?? {}) as [[string, NonNullable<BatchGetItemCommand['input']['RequestItems']>[string]]];
      const keys = request.Keys ?? [];
      const output = await client.send(new BatchGetItemCommand({ RequestItems: { [name]: { Keys: keys.slice(0, 1) } } }));
      return { Responses: output.Responses, UnprocessedKeys: { [name]: { Keys: keys.slice(1) } } };
    }
    return client.send(command as never);
  }) as DynamoDBClient['send'];
  return partial;
}

describe('executeDynamoDbRequest: partly processed batches', () => {
  it('marks unprocessed items null in data and lists them under unprocessedItems', async () => {
    const outcome = await executeDynamoDbRequest(throttled(), 'Posts', ddb.batchPut({ tables: { Authors: [{ authorId: 'u1' }, { authorId: 'u2' }] } }));

    expect(outcome).toEqual({ result: { data: { Authors: [{ authorId: 'u1' }, null] }, unprocessedItems: { Authors: [{ authorId: 'u2' }] } } });
  });

  it('marks unprocessed keys of a delete null in data and lists them under unprocessedKeys', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'u3' }, { authorId: 'u4' }] } }));

    const outcome = await executeDynamoDbRequest(throttled(), 'Posts', ddb.batchDelete({ tables: { Authors: [{ authorId: 'u3' }, { authorId: 'u4' }] } }));

    expect(outcome).toEqual({ result: { data: { Authors: [{ authorId: 'u3' }, null] }, unprocessedKeys: { Authors: [{ authorId: 'u4' }] } } });
  });

  it('marks unprocessed keys of a get null in data and lists them under unprocessedKeys', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'u5' }, { authorId: 'u6' }] } }));

    const outcome = await executeDynamoDbRequest(throttled(), 'Posts', ddb.batchGet({ tables: { Authors: { keys: [{ authorId: 'u5' }, { authorId: 'u6' }] } } }));

    expect(outcome).toEqual({ result: { data: { Authors: [{ authorId: 'u5' }, null] }, unprocessedKeys: { Authors: [{ authorId: 'u6' }] } } });
  });
});

describe('executeDynamoDbRequest: transactions', () => {
  it('gets items in a transaction, with null for an item that does not exist', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 't1', name: 'Tia' }] } }));

    const outcome = await run(ddb.transactGet({ items: [
      { table: 'Authors', key: { authorId: 't1' }, projection: ['name'] },
      { table: 'Posts', key: { authorId: 't1', postId: 'none' } },
    ] }));

    expect(outcome).toEqual({ result: { items: [{ name: 'Tia' }, null], cancellationReasons: null } });
  });

  it('writes every item of a transaction and returns their keys in order', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'w1', posts: 0 }, { authorId: 'w2' }, { authorId: 'w3' }] } }));

    const outcome = await run(ddb.transactWrite({ items: [
      { putItem: { table: 'Posts', key: { authorId: 'w1', postId: 'p1' }, item: { title: 'New' }, condition: { postId: { attributeExists: false } } } },
      { updateItem: { table: 'Authors', key: { authorId: 'w1' }, update: { posts: ddb.operations.increment(1) } } },
      { deleteItem: { table: 'Authors', key: { authorId: 'w2' } } },
      { conditionCheck: { table: 'Authors', key: { authorId: 'w3' }, condition: { authorId: { attributeExists: true } } } },
    ] }));

    expect(outcome).toEqual({ result: {
      keys: [{ authorId: 'w1', postId: 'p1' }, { authorId: 'w1' }, { authorId: 'w2' }, { authorId: 'w3' }], cancellationReasons: null,
    } });
    expect(await run(ddb.batchGet({ tables: { Authors: { keys: [{ authorId: 'w1' }, { authorId: 'w2' }] } } })))
      .toMatchObject({ result: { data: { Authors: [{ authorId: 'w1', posts: 1 }, null] } } });
  });

  it('cancels a transaction whose condition fails, with a reason per item, the current item, and nothing written', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'x1', name: 'Taken' }] } }));
    const postsBefore = await count('Posts');

    const outcome = await run(ddb.transactWrite({ items: [
      { putItem: { table: 'Posts', key: { authorId: 'x1', postId: 'p1' }, item: { title: 'Never' } } },
      { putItem: { table: 'Authors', key: { authorId: 'x1' }, item: { name: 'Other' }, condition: { authorId: { attributeExists: false } } } },
    ] }));

    expect(outcome).toEqual({
      error: { type: 'DynamoDB:TransactionCanceledException', message: expect.stringContaining('Transaction cancelled') },
      result: { keys: null, cancellationReasons: [
        { type: 'None', message: 'None' },
        { type: 'ConditionalCheckFailed', message: expect.any(String), item: { authorId: 'x1', name: 'Taken' } },
      ] },
    });
    expect(await count('Posts')).toBe(postsBefore);
    expect(await run(ddb.batchGet({ tables: { Authors: { keys: [{ authorId: 'x1' }] } } }))).toMatchObject({ result: { data: { Authors: [{ name: 'Taken' }] } } });
  });

  it('leaves the current item out of the cancellation reason when returnValuesOnConditionCheckFailure is false', async () => {
    await run(ddb.batchPut({ tables: { Authors: [{ authorId: 'x2' }] } }));

    const outcome = await run({ operation: 'TransactWriteItems', transactItems: [{
      table: 'Authors', operation: 'DeleteItem', key: { authorId: { S: 'x2' } },
      condition: { expression: 'attribute_not_exists(authorId)', returnValuesOnConditionCheckFailure: false },
    }] });

    expect(outcome).toMatchObject({ result: { keys: null, cancellationReasons: [{ type: 'ConditionalCheckFailed' }] } });
    expect((outcome as { result: { cancellationReasons: object[] } }).result.cancellationReasons[0]).not.toHaveProperty('item');
  });

  it("reports DynamoDB's refusal of a transaction on a missing table", async () => {
    const outcome = await run(ddb.transactGet({ items: [{ table: 'Nowhere', key: { id: 'x' } }] }));

    expect(outcome).toMatchObject({ error: { type: 'DynamoDB:ResourceNotFoundException' } });
  });
});

describe('executeDynamoDbRequest: malformed batches and transactions', () => {
  it.each([
    ['a batch without tables', { operation: 'BatchPutItem', tables: {} }, /`tables` must map at least one table/],
    ['a batch get table without keys', { operation: 'BatchGetItem', tables: { Authors: [{ authorId: { S: 'k' } }] } }, /tables.Authors must be \{ keys/],
    ['a batch get with an empty key list', { operation: 'BatchGetItem', tables: { Authors: { keys: [] } } }, /tables.Authors.keys must be a non-empty list/],
    ['a batch put whose items are not a list', { operation: 'BatchPutItem', tables: { Authors: { authorId: { S: 'm1' } } } }, /tables.Authors must be a non-empty list/],
    ['a batch delete with an empty key', { operation: 'BatchDeleteItem', tables: { Authors: [{}] } }, /tables.Authors\[0\] must name the item's key attributes/],
    ['a transaction without items', { operation: 'TransactWriteItems', transactItems: [] }, /`transactItems` must be a non-empty list/],
    ['a transaction item without a table', { operation: 'TransactGetItems', transactItems: [{ key: { authorId: { S: 'm2' } } }] }, /transactItems\[0\] must name its `table`/],
    ['a transaction item with an unknown operation', { operation: 'TransactWriteItems', transactItems: [{ table: 'Authors', operation: 'Upsert', key: { authorId: { S: 'm3' } } }] }, /transactItems\[0\].operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck, got "Upsert"/],
    ['a condition check without a condition', { operation: 'TransactWriteItems', transactItems: [{ table: 'Authors', operation: 'ConditionCheck', key: { authorId: { S: 'm4' } } }] }, /`condition` is required/],
    ['a transaction update without its update', { operation: 'TransactWriteItems', transactItems: [{ table: 'Authors', operation: 'UpdateItem', key: { authorId: { S: 'm5' } } }] }, /`update` is required/],
    ['returnValuesOnConditionCheckFailure that is not a boolean', { operation: 'TransactWriteItems', transactItems: [{ table: 'Authors', operation: 'PutItem', key: { authorId: { S: 'm6' } }, condition: { expression: 'attribute_not_exists(authorId)', returnValuesOnConditionCheckFailure: 'yes' } }] }, /must be a boolean/],
  ])('refuses %s as a MappingTemplate error and writes nothing', async (_case, request, message) => {
    const before = await count('Authors');

    const outcome = await run(request);

    expect(outcome).toEqual({ error: { type: 'MappingTemplate', message: expect.stringMatching(message) } });
    expect(await count('Authors')).toBe(before);
  });
});
