import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoDbClient, launchDynamoDbLocal, type DynamoDbLocal } from '../../../../sandbox/dynamodb-local/launch.ts';
import { createTableInput, createTables, TableDefinitionError, type TableDefinition } from '../../../../sandbox/dynamodb-local/tables.ts';
import { quietLogger } from './local.ts';

let local: DynamoDbLocal;
let client: DynamoDBClient;

beforeAll(async () => {
  local = await launchDynamoDbLocal({ log: quietLogger() });
  client = dynamoDbClient(local.endpoint);
});

afterAll(async () => {
  client.destroy();
  await local.stop();
});

/** Properties as `cdk synth` writes them for a Table with a GSI, an LSI, a stream and TTL. */
function messagesTable(tableName: string, extra: Record<string, unknown> = {}): TableDefinition {
  return {
    tableName,
    properties: {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'owner', AttributeType: 'S' }, { AttributeName: 'createdAt', AttributeType: 'N' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [{
        IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' }, ContributorInsightsSpecification: { Enabled: true },
      }],
      LocalSecondaryIndexes: [{
        IndexName: 'byCreatedAt', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      ...extra,
    },
  };
}

describe('createTables', () => {
  it('creates an ACTIVE table with the GSI, LSI and stream of its CloudFormation properties', async () => {
    await createTables(client, [messagesTable('Messages')]);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Messages' }));

    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byOwner']);
    expect(Table?.LocalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byCreatedAt']);
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('returns each table with its key names and TTL attribute', async () => {
    const created = await createTables(client, [messagesTable('Sessions')]);

    expect(created).toEqual([{ tableName: 'Sessions', keyNames: ['pk', 'sk'], ttlAttribute: 'expiresAt' }]);
  });

  it('enables TTL on the table as the template asks', async () => {
    await createTables(client, [messagesTable('Quotas')]);

    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'Quotas' }));

    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('returns a null TTL attribute when TimeToLiveSpecification is disabled', async () => {
    const created = await createTables(client, [messagesTable('Drafts', { TimeToLiveSpecification: { Enabled: false } })]);

    expect(created[0]?.ttlAttribute).toBeNull();
  });

  it('ignores properties DynamoDB Local has no use for', async () => {
    const ignored = {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true }, Tags: [{ Key: 'app', Value: 'chat' }], TableClass: 'STANDARD', TableName: 'Audit',
    };

    await createTables(client, [messagesTable('Audit', ignored)]);

    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'Audit' }));
    expect(Table?.TableStatus).toBe('ACTIVE');
  });

  it('leaves a table that already exists as it is', async () => {
    await createTables(client, [messagesTable('Existing')]);

    const again = await createTables(client, [messagesTable('Existing')]);

    expect(again[0]?.tableName).toBe('Existing');
  });

  it('refuses an unknown property, naming the table and the property, before creating any table', async () => {
    const tables = [messagesTable('First'), messagesTable('Second', { ImportSourceSpecification: { InputFormat: 'CSV' } })];

    await expect(createTables(client, tables)).rejects.toThrow("Table 'Second': unknown AWS::DynamoDB::Table property 'ImportSourceSpecification'");

    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).not.toContain('First');
  });

  it('names every unknown property at once', () => {
    expect(() => createTableInput(messagesTable('Many', { Foo: 1, Bar: 2 }))).toThrow("unknown AWS::DynamoDB::Table properties 'Foo', 'Bar'");
  });

  it.each([
    ['a missing KeySchema', { KeySchema: undefined }, 'KeySchema must list the key attributes'],
    ['indexes that are not a list', { GlobalSecondaryIndexes: { IndexName: 'x' } }, 'GlobalSecondaryIndexes must be a list of index definitions'],
    ['an enabled TTL without an attribute', { TimeToLiveSpecification: { Enabled: true } }, 'TimeToLiveSpecification needs Enabled and an AttributeName'],
  ])('refuses %s', async (_case, extra, message) => {
    const attempt = createTables(client, [messagesTable('Malformed', extra)]);

    await expect(attempt).rejects.toThrow(TableDefinitionError);
    await expect(attempt).rejects.toThrow(`Table 'Malformed': ${message}`);
  });

  it("passes on DynamoDB's refusal of a definition it cannot create", async () => {
    const definition = messagesTable('Undefined', { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] });

    await expect(createTables(client, [definition])).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
