// The floor of listMessages on this machine, for query-throughput.ts: the least any server must do to answer it, in
// a process of its own. Per request: verify the caller's access token (RS256 against the user pool's JWKS, issuer,
// expiry, client), GetItem the conversation (ownership, as resolvers/steps/loadConversation.ts), Query the page (as
// resolvers/steps/queryMessages.ts), answer JSON in the GraphQL response's shape. The AWS SDK v3 DynamoDB client as the
// sandbox's data source uses it; no GraphQL, no APPSYNC_JS. Reads its options as JSON from argv, prints its URL and pid.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { conversationSk, MESSAGE_PREFIX, messagesPk, userPk } from '../resolvers/keys.ts';

export interface FloorOptions {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  tableName: string;
  jwks: JSONWebKeySet;
  issuer: string;
  clientIds: string[];
}

/** The fields the bench's listMessages selects. */
const FIELDS = ['id', 'role', 'content', 'status', 'seq', 'createdAt'] as const;

function plain(value: AttributeValue | undefined): unknown {
  if (value === undefined || value.NULL) return null;
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.L !== undefined) return value.L.map(plain);
  if (value.M !== undefined) return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, plain(v)]));
  return null;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const options = JSON.parse(process.argv[2] ?? '{}') as FloorOptions;
const client = new DynamoDBClient({ endpoint: options.endpoint, region: options.region, credentials: options.credentials });
const keys = createLocalJWKSet(options.jwks);

async function caller(authorization: string | undefined): Promise<string | null> {
  if (!authorization) return null;
  try {
    const { payload } = await jwtVerify(authorization.replace(/^Bearer /, ''), keys, { issuer: options.issuer, algorithms: ['RS256'], requiredClaims: ['exp'] });
    const ok = payload.token_use === 'access' && typeof payload.client_id === 'string' && options.clientIds.includes(payload.client_id);
    return ok && typeof payload.sub === 'string' ? payload.sub : null;
  } catch {
    return null;
  }
}

async function listMessages(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [sub, body] = await Promise.all([caller(req.headers.authorization), readBody(req)]);
  if (sub === null) return send(res, 401, { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });
  const { variables } = JSON.parse(body) as { variables?: { c?: string; limit?: number } };
  const conversationId = variables?.c ?? '';
  const conversation = await client.send(new GetItemCommand({
    TableName: options.tableName, Key: { pk: { S: userPk(sub) }, sk: { S: conversationSk(conversationId) } }, ConsistentRead: true,
  }));
  if (!conversation.Item) return send(res, 200, { data: { listMessages: null }, errors: [{ errorType: 'NotFound', message: 'The conversation was not found.' }] });
  const page = await client.send(new QueryCommand({
    TableName: options.tableName, Limit: variables?.limit ?? 50, ScanIndexForward: false, KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' }, ExpressionAttributeValues: { ':pk': { S: messagesPk(sub, conversationId) }, ':sk': { S: MESSAGE_PREFIX } },
  }));
  const items = (page.Items ?? []).map((item) => Object.fromEntries(FIELDS.map((field) => [field, plain(item[field])])));
  const nextToken = page.LastEvaluatedKey ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') : null;
  send(res, 200, { data: { listMessages: { items, nextToken } } });
}

const server = createServer((req, res) => {
  listMessages(req, res).catch((error: unknown) => send(res, 500, { errors: [{ message: String(error) }] }));
});
server.listen(0, '127.0.0.1', () => {
  // Its own pid too: tsx runs it in a child process of its own, whose CPU time the bench reads.
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, pid: process.pid })}\n`);
});
