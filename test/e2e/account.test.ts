// Device sessions, deleting a conversation, and health, through the sandbox.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutCommand, QueryCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { api, conversation, ended, iamGraphql, send, startProduct, subscribe, user, type Product, type User } from './product.ts';

let p: Product;
let ana: User;

beforeAll(async () => {
  p = await startProduct();
  ana = await user(p.sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

const documents = (): DynamoDBDocumentClient => DynamoDBDocumentClient.from(p.sandbox.dynamodb.client);
const table = (): string => p.sandbox.template.tables[0]?.tableName ?? '';

describe('device sessions', () => {
  it('starts a session with the device name, user agent and source IP, and lists it', async () => {
    const started = await api(p.sandbox, ana)('mutation { startDeviceSession(input: {deviceName: "laptop"}) { id deviceName sourceIp expiresAt } }');
    const list = await api(p.sandbox, ana)('{ listDeviceSessions { id deviceName } }');

    const session = started.body.data?.startDeviceSession as { id: string; deviceName: string; sourceIp: string; expiresAt: number };
    expect(session).toMatchObject({ deviceName: 'laptop', sourceIp: '127.0.0.1' });
    expect(session.expiresAt).toBeGreaterThan(Date.now() / 1000 + 29 * 24 * 3600);
    expect(list.body.data?.listDeviceSessions).toContainEqual({ id: session.id, deviceName: 'laptop' });
  });

  it('ends one session', async () => {
    const started = await api(p.sandbox, ana)('mutation { startDeviceSession(input: {deviceName: "tablet"}) { id } }');
    const { id } = started.body.data?.startDeviceSession as { id: string };

    const ended_ = await api(p.sandbox, ana)('mutation E($id: ID!) { endDeviceSession(id: $id) { id deviceName } }', { id });
    const list = await api(p.sandbox, ana)('{ listDeviceSessions { id } }');

    expect(ended_.body.data).toEqual({ endDeviceSession: { id, deviceName: 'tablet' } });
    expect(list.body.data?.listDeviceSessions).not.toContainEqual({ id });
  });

  it('leaves out an expired session, which DynamoDB\'s TTL will delete', async () => {
    await documents().send(new PutCommand({ TableName: table(), Item: { pk: `USER#${ana.sub}`, sk: 'SESSION#01JOLDOLDOLDOLDOLDOLDOLDOL', id: '01JOLDOLDOLDOLDOLDOLDOLDOL', deviceName: 'old', expiresAt: Math.floor(Date.now() / 1000) - 60 } }));

    const list = await api(p.sandbox, ana)('{ listDeviceSessions { deviceName } }');

    expect(list.body.data?.listDeviceSessions).not.toContainEqual({ deviceName: 'old' });
  });

  it('ends every session and signs the user out everywhere', async () => {
    const bo = await user(p.sandbox, 'bo@example.com');
    await api(p.sandbox, bo)('mutation { startDeviceSession(input: {deviceName: "a"}) { id } }');
    await api(p.sandbox, bo)('mutation { startDeviceSession(input: {deviceName: "b"}) { id } }');

    const answer = await api(p.sandbox, bo)('mutation { endAllDeviceSessions { endedSessions signedOut } }');
    const afterwards = await api(p.sandbox, bo)('{ listDeviceSessions { id } }');

    expect(answer.body.data).toEqual({ endAllDeviceSessions: { endedSessions: 2, signedOut: true } });
    // Global sign-out revokes the access token: the API refuses it from now on.
    expect(afterwards.status).toBe(401);
  });
});

describe('deleting a conversation', () => {
  it('deletes the conversation at once and its messages in the background', async () => {
    const c = await conversation(p.sandbox, ana);
    const socket = await subscribe(p.sandbox, ana, c);
    const turn = await send(p.sandbox, ana, c, 'soon gone');
    await ended(socket, turn.reply.id);
    socket.close();

    const deleted = await api(p.sandbox, ana)('mutation D($id: ID!) { deleteConversation(id: $id) { id } }', { id: c });
    await p.sandbox.lambda.awaitIdle();
    const read = await api(p.sandbox, ana)('query G($id: ID!) { getConversation(id: $id) { id } }', { id: c });
    const left = await documents().send(new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `USER#${ana.sub}#CONV#${c}` } }));

    expect(deleted.body.data).toEqual({ deleteConversation: { id: c } });
    expect(read.body.data).toEqual({ getConversation: null });
    expect(left.Items).toEqual([]);
  });

  it('renames a conversation and lists the most recently updated first', async () => {
    const older = await conversation(p.sandbox, ana, 'older');
    const newer = await conversation(p.sandbox, ana, 'newer');

    await api(p.sandbox, ana)('mutation R($id: ID!) { renameConversation(id: $id, title: "renamed") { title } }', { id: older });
    const list = await api(p.sandbox, ana)('{ listConversations(limit: 2) { items { id title } } }');

    expect((list.body.data?.listConversations as { items: unknown[] }).items).toEqual([{ id: older, title: 'renamed' }, { id: newer, title: 'newer' }]);
  });
});

describe('health', () => {
  it('reports status, version, stage, region and model to users and to IAM', async () => {
    const query = '{ health { status version stage region model } }';

    const asUser = await api(p.sandbox, ana)(query);
    const asIam = await iamGraphql(p.sandbox, query, {});

    expect(asUser.body.data).toEqual({ health: { status: 'ok', version: '0.1.0', stage: 'dev', region: 'us-east-1', model: 'claude-sonnet-4-6' } });
    expect(asIam.body.data).toEqual(asUser.body.data);
  });
});
