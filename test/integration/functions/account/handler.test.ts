// The account function in-process against DynamoDB Local and the sandbox's user pool: it deletes a
// user's device sessions and signs them out everywhere, and purges a deleted conversation's messages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { UserPool } from '../../../../sandbox/cognito/pool.ts';
import { dynamoDbClient, launchDynamoDbLocal, type DynamoDbLocal } from '../../../../sandbox/dynamodb-local/launch.ts';
import { createTables } from '../../../../sandbox/dynamodb-local/tables.ts';
import { createLogger, memorySink } from '../../../../sandbox/log.ts';

const TABLE = 'AccountTest';
let dynamo: DynamoDbLocal;
let server: Server;
let pool: UserPool;
let documents: DynamoDBDocumentClient;
let handler: (event: unknown) => Promise<unknown>;

beforeAll(async () => {
  const log = createLogger('test', memorySink());
  dynamo = await launchDynamoDbLocal({ log });
  await createTables(dynamoDbClient(dynamo.endpoint), [{
    tableName: TABLE,
    properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' },
  }]);
  documents = DynamoDBDocumentClient.from(dynamoDbClient(dynamo.endpoint));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = new UserPool({ poolId: 'us-east-1_AccountT1', region: 'us-east-1', issuerBase: base, clients: [{ clientId: 'client1', explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }], passwordPolicy: { minimumLength: 8, requireLowercase: false, requireUppercase: false, requireNumbers: false, requireSymbols: false }, log });
  const route = pool.httpHandler();
  server.on('request', (req, res) => void route(req, res));
  Object.assign(process.env, {
    TABLE_NAME: TABLE, USER_POOL_ID: pool.poolId, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: base, POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  ({ handler } = (await import('../../../../functions/account/handler.ts')) as { handler: (event: unknown) => Promise<unknown> });
}, 60_000);

afterAll(async () => {
  await dynamo?.stop();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function partition(pk: string): Promise<string[]> {
  const page = await documents.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
  return (page.Items ?? []).map((item) => String(item.sk));
}

describe('the account function', () => {
  it('ends every device session of the user, leaves their other items, and signs them out globally', async () => {
    await pool.adminCreateUser({ username: 'ana', password: 'password1' });
    const signIn = await pool.handle('AWSCognitoIdentityProviderService.InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client1', AuthParameters: { USERNAME: 'ana', PASSWORD: 'password1' } });
    const accessToken = (signIn.body as { AuthenticationResult: { AccessToken: string } }).AuthenticationResult.AccessToken;
    for (let n = 0; n < 30; n += 1) await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: 'USER#u1', sk: `SESSION#${String(n).padStart(2, '0')}` } }));
    await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: 'USER#u1', sk: 'CONV#keep' } }));

    const result = await handler({ action: 'endAllSessions', owner: 'u1', username: 'ana' });
    const user = await pool.handle('AWSCognitoIdentityProviderService.GetUser', { AccessToken: accessToken });

    expect(result).toEqual({ endedSessions: 30, signedOut: true });
    expect(await partition('USER#u1')).toEqual(['CONV#keep']);
    expect(user.body).toMatchObject({ __type: 'NotAuthorizedException' });
  });

  it('deletes every item of a deleted conversation\'s message partition', async () => {
    for (let n = 0; n < 60; n += 1) await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: 'USER#u2#CONV#c1', sk: `MSG#${String(n).padStart(2, '0')}`, content: 'x'.repeat(100) } }));

    const result = await handler({ action: 'deleteMessages', owner: 'u2', conversationId: 'c1' });

    expect(result).toEqual({ deleted: 60 });
    expect(await partition('USER#u2#CONV#c1')).toEqual([]);
  });

  it('refuses an unknown action', async () => {
    await expect(handler({ action: 'dance', owner: 'u3' })).rejects.toThrow('unknown action "dance"');
  });
});
