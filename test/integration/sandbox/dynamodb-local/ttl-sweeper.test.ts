import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DeleteItemCommand, GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { dynamoDbClient, launchDynamoDbLocal, type DynamoDbLocal } from '../../../../sandbox/dynamodb-local/launch.ts';
import { createTables } from '../../../../sandbox/dynamodb-local/tables.ts';
import { startTtlSweeper, type TtlTable } from '../../../../sandbox/dynamodb-local/ttl-sweeper.ts';
import { quietLogger, waitFor } from './local.ts';

const HOUR = 3600;
const table: TtlTable = { tableName: 'Windows', ttlAttribute: 'expiresAt', keyNames: ['pk', 'sk'] };
let local: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  local = await launchDynamoDbLocal({ log: quietLogger() });
  client = dynamoDbClient(local.endpoint);
  // No TimeToLiveSpecification: on a table with TTL enabled DynamoDB Local deletes expired items itself (a scan about
  // every 10 s), which would race the sweeper for them and leave it nothing to delete. The sweeper needs no TTL on the table.
  await createTables(client, [{
    tableName: 'Windows',
    properties: {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    },
  }]);
});

afterAll(async () => {
  client.destroy();
  await local.stop();
});

beforeEach(async () => {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: 'Windows' }));
  for (const item of Items) await client.send(new DeleteItemCommand({ TableName: 'Windows', Key: { pk: item['pk']!, sk: item['sk']! } }));
});

const nowS = (): number => Math.floor(Date.now() / 1000);

async function put(sk: string, expiresAt?: { N: string } | { S: string }): Promise<void> {
  await client.send(new PutItemCommand({ TableName: 'Windows', Item: { pk: { S: 'user-1' }, sk: { S: sk }, ...(expiresAt ? { expiresAt } : {}) } }));
}

async function remaining(): Promise<string[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: 'Windows', ConsistentRead: true }));
  return Items.map((item) => item['sk']?.S ?? '').sort();
}

describe('startTtlSweeper', () => {
  it('deletes items whose TTL is in the past and keeps the others', async () => {
    await put('expired', { N: String(nowS() - HOUR) });
    await put('future', { N: String(nowS() + HOUR) });
    await put('no-ttl');
    await put('text-ttl', { S: String(nowS() - HOUR) });
    const sweeper = startTtlSweeper({ client, tables: [table], intervalMs: 60_000, log: quietLogger() });

    const deleted = await sweeper.sweepNow();
    sweeper.stop();

    // One expectation, so that a failure shows both: who deleted what.
    expect({ deleted, remaining: await remaining() }).toEqual({ deleted: 1, remaining: ['future', 'no-ttl', 'text-ttl'] });
  });

  it('keeps items whose TTL is more than five years in the past, as DynamoDB does', async () => {
    await put('ancient', { N: String(nowS() - 6 * 365 * 24 * HOUR) });
    const sweeper = startTtlSweeper({ client, tables: [table], intervalMs: 60_000, log: quietLogger() });

    const deleted = await sweeper.sweepNow();
    sweeper.stop();

    expect(deleted).toBe(0);
    expect(await remaining()).toEqual(['ancient']);
  });

  it('deletes expired items on its own at each interval', async () => {
    await put('expired', { N: String(nowS() - 1) });
    const sweeper = startTtlSweeper({ client, tables: [table], intervalMs: 50, log: quietLogger() });

    await waitFor(async () => (await remaining()).length === 0, 'the sweeper to delete the expired item');
    sweeper.stop();

    expect(await remaining()).toEqual([]);
  });

  it('logs a warning when a sweep fails', async () => {
    const log = quietLogger();
    const sweeper = startTtlSweeper({ client, tables: [{ ...table, tableName: 'Missing' }], intervalMs: 50, log });

    await waitFor(() => log.records.some((record) => record.level === 'warn'), 'a warning');
    sweeper.stop();

    expect(log.records.find((record) => record.level === 'warn')?.message).toMatch(/^TTL sweep failed: .*(not found|non-existent)/i);
  });

  it('spares an item whose TTL is pushed forward after the scan saw it', async () => {
    await put('renewed', { N: String(nowS() - 1) });
    // Renews the item between the sweeper's scan and its delete, as a concurrent writer would.
    const racing = Object.create(client) as DynamoDBClient;
    racing.send = (async (command: Parameters<DynamoDBClient['send']>[0]) => {
      if (command instanceof DeleteItemCommand) {
        await client.send(new UpdateItemCommand({
          TableName: 'Windows', Key: command.input.Key!, UpdateExpression: 'SET expiresAt = :later',
          ExpressionAttributeValues: { ':later': { N: String(nowS() + HOUR) } },
        }));
      }
      return client.send(command as never);
    }) as DynamoDBClient['send'];
    const sweeper = startTtlSweeper({ client: racing, tables: [table], intervalMs: 60_000, log: quietLogger() });

    const deleted = await sweeper.sweepNow();
    sweeper.stop();

    expect(deleted).toBe(0);
    const { Item } = await client.send(new GetItemCommand({ TableName: 'Windows', Key: { pk: { S: 'user-1' }, sk: { S: 'renewed' } } }));
    expect(Item?.['expiresAt']?.N).toBe(String(Number(Item?.['expiresAt']?.N)));
    expect(Number(Item?.['expiresAt']?.N)).toBeGreaterThan(nowS());
  });

  it('does not count an item deleted by someone else after the scan saw it', async () => {
    await put('gone', { N: String(nowS() - 1) });
    // Deletes the item between the sweeper's scan and its delete, as DynamoDB Local's own TTL deletion can.
    const racing = Object.create(client) as DynamoDBClient;
    racing.send = (async (command: Parameters<DynamoDBClient['send']>[0]) => {
      if (command instanceof DeleteItemCommand) await client.send(new DeleteItemCommand({ TableName: 'Windows', Key: command.input.Key! }));
      return client.send(command as never);
    }) as DynamoDBClient['send'];
    const sweeper = startTtlSweeper({ client: racing, tables: [table], intervalMs: 60_000, log: quietLogger() });

    const deleted = await sweeper.sweepNow();
    sweeper.stop();

    expect({ deleted, remaining: await remaining() }).toEqual({ deleted: 0, remaining: [] });
  });

  it('runs one sweep at a time', async () => {
    await put('expired', { N: String(nowS() - 1) });
    const sweeper = startTtlSweeper({ client, tables: [table], intervalMs: 60_000, log: quietLogger() });

    const [first, second] = [sweeper.sweepNow(), sweeper.sweepNow()];
    const deleted = await first;
    sweeper.stop();

    expect(second).toBe(first);
    expect(deleted).toBe(1);
  });
});
