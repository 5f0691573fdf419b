// Sandboxes sharing one DynamoDB Local (sandbox/sandbox.ts, the dynamodb option), as the test runs' sandboxes do
// (test/support/global-setup.ts): each signs as an access key id of its own, so neither sees the other's tables or
// items, its functions and IAM callers use the same key, and its tables go when it stops.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListTablesCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynamoDbClient, launchDynamoDbLocal, type DynamoDbLocal } from '../../../../sandbox/dynamodb-local/launch.ts';
import { graphql, signedInUser, startTestSandbox, type TestSandbox } from '../start.ts';
import { quietLogger } from './local.ts';

let local: DynamoDbLocal;
let first: TestSandbox;
let second: TestSandbox;

beforeAll(async () => {
  local = await launchDynamoDbLocal({ log: quietLogger() });
  first = await startTestSandbox({ dynamodb: { endpoint: local.endpoint } });
  second = await startTestSandbox({ dynamodb: { endpoint: local.endpoint } });
}, 120_000);

afterAll(async () => {
  await first?.stop();
  await second?.stop();
  await local?.stop();
});

const tableOf = (t: TestSandbox): string => t.sandbox.template.tables[0]?.tableName ?? '';

describe('sandboxes sharing a DynamoDB Local', () => {
  it('sign as access key ids of their own, letters and digits as DynamoDB Local requires', () => {
    expect(first.sandbox.iam.accessKeyId).toMatch(/^sandbox[0-9a-f]{16}$/);
    expect(second.sandbox.iam.accessKeyId).toMatch(/^sandbox[0-9a-f]{16}$/);
    expect(first.sandbox.iam.accessKeyId).not.toBe(second.sandbox.iam.accessKeyId);
    expect(first.sandbox.dynamodb.endpoint).toBe(local.endpoint);
  });

  it('keep their items apart: what one writes through its API the other never reads', async () => {
    const ana = await signedInUser(first.sandbox, 'ana@example.com');
    const created = await graphql(first.sandbox.urls.graphql, 'mutation C($input: NoteInput!) { createNote(input: $input) { id } }', { input: { text: 'first only' } }, { authorization: ana.accessToken });
    expect(created.body.errors).toBeUndefined();

    const inFirst = await first.sandbox.dynamodb.client.send(new ScanCommand({ TableName: tableOf(first) }));
    const inSecond = await second.sandbox.dynamodb.client.send(new ScanCommand({ TableName: tableOf(second) }));

    expect(inFirst.Items?.map((item) => item['text']?.S)).toContain('first only');
    expect(inSecond.Items ?? []).toEqual([]);
  });

  it('delete their tables when they stop, and leave the other\'s and the DynamoDB Local running', async () => {
    const third = await startTestSandbox({ dynamodb: { endpoint: local.endpoint } });
    const thirdClient = dynamoDbClient(local.endpoint, third.sandbox.iam.accessKeyId);
    expect((await thirdClient.send(new ListTablesCommand({}))).TableNames).toEqual([tableOf(third)]);

    await third.stop();

    expect((await thirdClient.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    await first.sandbox.dynamodb.client.send(new PutItemCommand({ TableName: tableOf(first), Item: { pk: { S: 'still' }, sk: { S: 'here' } } }));
    expect((await first.sandbox.dynamodb.client.send(new ListTablesCommand({}))).TableNames).toEqual([tableOf(first)]);
    thirdClient.destroy();
  });

  it('refuses persist with a shared DynamoDB Local, saying what to do', async () => {
    await expect(startTestSandbox({ dynamodb: { endpoint: local.endpoint }, persist: true })).rejects.toThrow('persist keeps DynamoDB\'s data in a DynamoDB Local of the sandbox\'s own: leave out the dynamodb option to use it');
  });
});
