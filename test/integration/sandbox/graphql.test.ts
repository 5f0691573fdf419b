// The sandbox's AppSync endpoint, from the synthesized test template: resolvers of every kind,
// each data source, each auth mode accepted and refused, AppSync's response and error shapes.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT } from 'jose';
import { graphql, iamGraphql, iamHeaders, poolPrivateJwk, signedInUser, startTestSandbox, type TestSandbox } from './start.ts';

let t: TestSandbox;
let user: { idToken: string; accessToken: string; sub: string };
let other: { idToken: string; accessToken: string; sub: string };
let admin: { idToken: string; accessToken: string; sub: string };

beforeAll(async () => {
  t = await startTestSandbox();
  user = await signedInUser(t.sandbox, 'ana@example.com');
  other = await signedInUser(t.sandbox, 'bo@example.com');
  admin = await signedInUser(t.sandbox, 'root@example.com', 'Passw0rd!', ['admins']);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const CREATE = 'mutation Create($input: NoteInput!) { createNote(input: $input) { id owner text tags createdAt } }';
const GET = 'query Get($id: ID!) { getNote(id: $id) { id owner text } }';

function as(token: string): Record<string, string> {
  return { authorization: token };
}

describe('resolvers through the sandbox', () => {
  it('runs a pipeline resolver that writes to DynamoDB, and a unit resolver that reads it back', async () => {
    // Act
    const created = await graphql(t.sandbox.urls.graphql, CREATE, { input: { text: 'buy milk', tags: ['home'] } }, as(user.accessToken));
    const note = created.body.data?.createNote as { id: string; owner: string; createdAt: string };
    const read = await graphql(t.sandbox.urls.graphql, GET, { id: note.id }, as(user.idToken));

    // Assert
    expect(created.body.errors).toBeUndefined();
    expect(note).toMatchObject({ owner: user.sub, text: 'buy milk', tags: ['home'] });
    expect(note.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(read.body).toEqual({ data: { getNote: { id: note.id, owner: user.sub, text: 'buy milk' } } });
  });

  it('keys every item by the caller, so one user cannot read another\'s note', async () => {
    const created = await graphql(t.sandbox.urls.graphql, CREATE, { input: { text: 'private' } }, as(user.accessToken));
    const id = (created.body.data?.createNote as { id: string }).id;

    const read = await graphql(t.sandbox.urls.graphql, GET, { id }, as(other.accessToken));

    expect(read.body).toEqual({ data: { getNote: null } });
  });

  it('pages a Query with limit and nextToken', async () => {
    const pager = await signedInUser(t.sandbox, 'pager@example.com');
    for (const text of ['one', 'two', 'three']) await graphql(t.sandbox.urls.graphql, CREATE, { input: { text } }, as(pager.accessToken));
    const query = 'query List($next: String) { listNotes(limit: 2, nextToken: $next) { items { text } nextToken } }';

    const first = await graphql(t.sandbox.urls.graphql, query, {}, as(pager.accessToken));
    const page = first.body.data?.listNotes as { items: { text: string }[]; nextToken: string };
    const second = await graphql(t.sandbox.urls.graphql, query, { next: page.nextToken }, as(pager.accessToken));

    expect(page.items.map((i) => i.text)).toEqual(['three', 'two']);
    expect(second.body.data?.listNotes).toEqual({ items: [{ text: 'one' }], nextToken: null });
  });

  it('answers util.error in a pipeline step with its errorType, and writes nothing', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, CREATE, { input: { text: '   ' } }, as(user.accessToken));

    expect(answer.body).toEqual({
      data: { createNote: null },
      errors: [{ path: ['createNote'], data: null, errorType: 'ValidationError', errorInfo: null, locations: [{ line: 1, column: 39, sourceName: null }], message: 'text must not be empty' }],
    });
  });

  it('invokes a Lambda data source with the resolver\'s payload', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query { echo(message: "hi") { message identityKind requestId } }', {}, as(user.accessToken));

    expect(answer.body.data?.echo).toMatchObject({ message: 'hi', identityKind: 'cognito' });
    expect((answer.body.data?.echo as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('invokes a direct Lambda resolver with the whole context', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query { direct(message: "yo") { message identityKind } }', {}, as(user.accessToken));

    expect(answer.body.data?.direct).toEqual({ message: 'yo', identityKind: 'cognito' });
  });

  it('reports a Lambda function error as Lambda:Unhandled', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query { direct(message: "fail") { message } }', {}, as(user.accessToken));

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: 'echo was asked to fail', path: ['direct'] });
  });

  it('logs each Lambda start as cold or warm', async () => {
    await graphql(t.sandbox.urls.graphql, 'query { echo(message: "again") { message } }', {}, as(user.accessToken));

    const lines = t.logs.records.filter((r) => r.component.startsWith('sandbox:lambda')).map((r) => r.message);
    expect(lines.some((l) => l.startsWith('START RequestId:'))).toBe(true);
    expect(lines.some((l) => /REPORT RequestId: .*Init Duration/.test(l))).toBe(true);
  });

  it('returns a NONE data source\'s payload (an IAM-only mutation)', async () => {
    const answer = await iamGraphql(t.sandbox, 'mutation { systemNote(owner: "u1", text: "from the back end") { id owner text } }', {});

    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.systemNote).toMatchObject({ owner: 'u1', text: 'from the back end' });
  });
});

describe('pipelines, transactions and the data as DynamoDB holds it', () => {
  it('skips the rest of a pipeline on runtime.earlyReturn with skipTo END, keeping the stash', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query { cachedNote(id: "n1") { id owner text } }', {}, as(user.accessToken));

    expect(answer.body).toEqual({ data: { cachedNote: { id: 'n1', owner: 'cache', text: 'from cache (early)' } } });
  });

  it('reports a transaction whose condition fails with its reasons, and writes nothing', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'mutation { copyNote(id: "missing") { id } }', {}, as(user.accessToken));
    const [table] = t.sandbox.template.tables;
    const copy = await t.sandbox.dynamodb.client.send(new GetItemCommand({ TableName: table?.tableName ?? '', Key: { pk: { S: `USER#${user.sub}` }, sk: { S: 'NOTE#copy-missing' } } }));

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'DynamoDB:TransactionCanceledException', errorInfo: { cancellationReasons: [{ type: 'None', message: 'None' }, { type: 'ConditionalCheckFailed', message: expect.any(String) as unknown }] } });
    expect(copy.Item).toBeUndefined();
  });

  it('passes a data source error to the response handler as ctx.error, which raises it with util.error', async () => {
    // A sort key over DynamoDB's 1,024-byte limit makes GetItem fail with a ValidationException.
    const answer = await graphql(t.sandbox.urls.graphql, GET, { id: 'x'.repeat(1100) }, as(user.accessToken));

    expect(answer.body.data).toEqual({ getNote: null });
    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'DynamoDB:ValidationException', path: ['getNote'] });
  });

  it('returns the same items through a resolver as a Query sent straight to DynamoDB Local', async () => {
    const reader = await signedInUser(t.sandbox, 'reader@example.com');
    for (const text of ['a', 'b', 'c']) await graphql(t.sandbox.urls.graphql, CREATE, { input: { text, tags: [text] } }, as(reader.accessToken));
    const [table] = t.sandbox.template.tables;

    const viaApi = await graphql(t.sandbox.urls.graphql, 'query { listNotes(limit: 10) { items { id owner text tags createdAt } } }', {}, as(reader.accessToken));
    const direct = await t.sandbox.dynamodb.client.send(new QueryCommand({
      TableName: table?.tableName ?? '', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :note)', ScanIndexForward: false,
      ExpressionAttributeValues: { ':pk': { S: `USER#${reader.sub}` }, ':note': { S: 'NOTE#' } },
    }));

    const items = (direct.Items ?? []).map((item) => ({ id: item.id?.S, owner: item.owner?.S, text: item.text?.S, tags: item.tags?.L?.map((v) => v.S), createdAt: item.createdAt?.S }));
    expect((viaApi.body.data?.listNotes as { items: unknown[] }).items).toEqual(items);
    expect(items).toHaveLength(3);
  });
});

describe('authorization modes', () => {
  const ECHO = 'query { echo(message: "x") { identityKind } }';

  it('accepts an API key where the schema allows it', async () => {
    const key = t.sandbox.template.api?.apiKeys[0]?.id ?? '';

    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, { 'x-api-key': key });

    expect(answer.body).toEqual({ data: { echo: { identityKind: 'none' } } });
  });

  it('refuses an unknown API key with 401 UnauthorizedException', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, { 'x-api-key': 'da2-nope' });

    expect(answer).toEqual({ status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] } });
  });

  it('refuses a request with no authorization at all', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, {});

    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });

  it('accepts an IAM-signed request and builds an IAM identity', async () => {
    const answer = await iamGraphql(t.sandbox, ECHO, {});

    expect(answer.body).toEqual({ data: { echo: { identityKind: 'iam' } } });
  });

  it('refuses an IAM request signed with the wrong secret', async () => {
    const body = JSON.stringify({ query: ECHO });
    const headers = await iamHeaders(t.sandbox, body, 'not-the-secret');

    const response = await fetch(t.sandbox.urls.graphql, { method: 'POST', headers, body });

    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { errorType: string }[] }).errors[0]?.errorType).toBe('InvalidSignatureException');
  });

  it('refuses an IAM request whose body was changed after signing', async () => {
    const headers = await iamHeaders(t.sandbox, JSON.stringify({ query: ECHO }));

    const response = await fetch(t.sandbox.urls.graphql, { method: 'POST', headers, body: JSON.stringify({ query: 'query { health }' }) });

    expect(response.status).toBe(401);
  });

  it('refuses an expired user pool token', async () => {
    const { kid, privateJwk } = poolPrivateJwk(t.dir);
    const [pool] = [...t.sandbox.userPools.values()];
    const past = Math.floor(Date.now() / 1000) - 7200;
    const token = await new SignJWT({ token_use: 'access', client_id: pool?.clientIds[0], username: 'ana' })
      .setProtectedHeader({ alg: 'RS256', kid }).setIssuer(pool?.issuer ?? '').setSubject(user.sub).setIssuedAt(past).setExpirationTime(past + 3600)
      .sign(createPrivateKey({ key: privateJwk as never, format: 'jwk' }));

    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, as(token));

    expect(answer).toEqual({ status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] } });
  });

  it('refuses a token signed by another pool\'s key', async () => {
    const [pool] = [...t.sandbox.userPools.values()];
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = await new SignJWT({ token_use: 'access', client_id: pool?.clientIds[0] })
      .setProtectedHeader({ alg: 'RS256', kid: 'other' }).setIssuer(pool?.issuer ?? '').setSubject('x').setIssuedAt().setExpirationTime('1h').sign(privateKey);

    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, as(token));

    expect(answer.body.errors?.[0]).toEqual({ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' });
  });

  it.each([
    ['a wrong issuer', { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other', client: true }],
    ['a client id the pool does not have', { iss: null, client: false }],
  ])('refuses a token with %s', async (_name, { iss, client }) => {
    const { kid, privateJwk } = poolPrivateJwk(t.dir);
    const [pool] = [...t.sandbox.userPools.values()];
    const token = await new SignJWT({ token_use: 'access', client_id: client ? pool?.clientIds[0] : 'someotherclient' })
      .setProtectedHeader({ alg: 'RS256', kid }).setIssuer(iss ?? pool?.issuer ?? '').setSubject(user.sub).setIssuedAt().setExpirationTime('1h')
      .sign(createPrivateKey({ key: privateJwk as never, format: 'jwk' }));

    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, as(token));

    expect(answer.status).toBe(401);
  });

  it('says Not Authorized for a field the caller\'s mode may not read, and keeps the rest', async () => {
    const created = await graphql(t.sandbox.urls.graphql, CREATE, { input: { text: 'with secret' } }, as(user.accessToken));
    const id = (created.body.data?.createNote as { id: string }).id;

    const answer = await graphql(t.sandbox.urls.graphql, 'query Get($id: ID!) { getNote(id: $id) { text secret } }', { id }, as(user.accessToken));

    expect(answer.body.data).toEqual({ getNote: { text: 'with secret', secret: null } });
    expect(answer.body.errors).toEqual([{ path: ['getNote', 'secret'], data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line: 1, column: 47, sourceName: null }], message: 'Not Authorized to access secret on type Note' }]);
  });

  it('refuses a top-level field to an auth mode its directives do not name', async () => {
    const answer = await iamGraphql(t.sandbox, 'query { adminsOnly }', {});

    expect(answer.body.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access adminsOnly on type Query' });
  });

  it('lets only members of the named Cognito group read an @aws_auth field', async () => {
    const member = await graphql(t.sandbox.urls.graphql, 'query { adminsOnly }', {}, as(admin.idToken));
    const outsider = await graphql(t.sandbox.urls.graphql, 'query { adminsOnly }', {}, as(user.idToken));

    expect(member.body).toEqual({ data: { adminsOnly: 'hello admin' } });
    expect(outsider.body.errors?.[0]?.errorType).toBe('Unauthorized');
  });
});

describe('AppSync scalars and request errors', () => {
  const key = (): Record<string, string> => ({ 'x-api-key': t.sandbox.template.api?.apiKeys[0]?.id ?? '' });
  const SCALARS = 'query S($dt: AWSDateTime, $d: AWSDate, $t: AWSTime, $ts: AWSTimestamp, $email: AWSEmail, $json: AWSJSON, $url: AWSURL, $phone: AWSPhone, $ip: AWSIPAddress) { scalars(dt: $dt, d: $d, t: $t, ts: $ts, email: $email, json: $json, url: $url, phone: $phone, ip: $ip) }';

  it('accepts valid values of every AWS scalar and hands AWSJSON to the resolver parsed', async () => {
    const variables = { dt: '2026-11-25T10:00:00.000Z', d: '2026-11-25', t: '10:00:00Z', ts: 1764064800, email: 'a@b.co', json: '{"a":[1,2]}', url: 'https://example.com/x', phone: '+1 555-0100', ip: '10.0.0.0/8' };

    const answer = await graphql(t.sandbox.urls.graphql, SCALARS, variables, key());

    expect(answer.body.errors).toBeUndefined();
    expect(JSON.parse(answer.body.data?.scalars as string)).toEqual({ ...variables, json: { a: [1, 2] } });
  });

  it.each([
    ['dt', '2026-11-25T10:00:00'], ['d', '2026-02-30'], ['t', '25:00:00'], ['ts', 1.5], ['email', 'not-an-email'],
    ['json', '{bad'], ['url', 'no scheme'], ['phone', 'call me'], ['ip', '300.1.1.1'],
  ])('refuses an invalid %s value', async (name, value) => {
    const answer = await graphql(t.sandbox.urls.graphql, SCALARS, { [name]: value }, key());

    expect(answer.body.data ?? null).toBeNull();
    expect(String(answer.body.errors?.[0]?.message)).toContain('Invalid value');
  });

  it('answers a syntax error with its location', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query { echo(', {}, key());

    expect(answer.body).toEqual({ data: null, errors: [{ path: null, locations: [{ line: 1, column: 14, sourceName: null }], message: expect.stringMatching(/^Invalid syntax: /) as unknown }] });
  });

  it('answers an unknown field with a validation error', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, 'query { nope }', {}, key());

    expect(answer.body.errors?.[0]?.message).toMatch(/^Validation error: Cannot query field "nope" on type "Query"/);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await fetch(t.sandbox.urls.graphql, { method: 'POST', headers: key(), body: '{nope' });

    expect(response.status).toBe(400);
  });

  it('logs each operation with its auth mode', () => {
    const lines = t.logs.records.filter((r) => r.component === 'sandbox:appsync').map((r) => r.message);

    expect(lines.some((l) => /^query scalars \(API_KEY\) [\d.]+ ms/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('Mutation.createNote') && l.includes('ValidationError'))).toBe(true);
  });
});

describe('DynamoDB Local behind the sandbox', () => {
  it('deletes items whose TTL has passed at the sweep, not at DynamoDB Local\'s slow pace', async () => {
    const [table] = t.sandbox.template.tables;
    const TableName = table?.tableName ?? '';
    const past = Math.floor(Date.now() / 1000) - 60;
    await t.sandbox.dynamodb.client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'TTL' }, sk: { S: 'old' }, expiresAt: { N: String(past) } } }));
    await t.sandbox.dynamodb.client.send(new PutItemCommand({ TableName, Item: { pk: { S: 'TTL' }, sk: { S: 'new' }, expiresAt: { N: String(past + 3600) } } }));

    const { startTtlSweeper } = await import('../../../sandbox/dynamodb-local/ttl-sweeper.ts');
    const sweeper = startTtlSweeper({ client: t.sandbox.dynamodb.client, tables: [{ tableName: TableName, ttlAttribute: 'expiresAt', keyNames: ['pk', 'sk'] }], intervalMs: 60_000, log: t.sandbox.log });
    await sweeper.sweepNow();
    sweeper.stop();

    const old = await t.sandbox.dynamodb.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'TTL' }, sk: { S: 'old' } } }));
    const fresh = await t.sandbox.dynamodb.client.send(new GetItemCommand({ TableName, Key: { pk: { S: 'TTL' }, sk: { S: 'new' } } }));
    expect(old.Item).toBeUndefined();
    expect(fresh.Item).toBeDefined();
  });
});
