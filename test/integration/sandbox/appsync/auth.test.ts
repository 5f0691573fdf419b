// Request authentication through the sandbox's AppSync endpoint: what a user-pool token must carry, and the secrets
// compared on every request (API keys, SigV4 signatures) accepted only when they are exactly right.
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { graphql, iamHeaders, poolPrivateJwk, signedInUser, startTestSandbox, type TestSandbox } from '../start.ts';

let t: TestSandbox;
let user: { accessToken: string; sub: string };

beforeAll(async () => {
  t = await startTestSandbox();
  user = await signedInUser(t.sandbox, 'ana@example.com');
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const ECHO = 'query { echo(message: "hi") { message } }';
const UNAUTHORIZED = { errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' };

async function poolToken(expires: boolean): Promise<string> {
  const { kid, privateJwk } = poolPrivateJwk(t.dir);
  const [pool] = [...t.sandbox.userPools.values()];
  const jwt = new SignJWT({ token_use: 'access', client_id: pool?.clientIds[0], username: 'ana' })
    .setProtectedHeader({ alg: 'RS256', kid }).setIssuer(pool?.issuer ?? '').setSubject(user.sub).setIssuedAt();
  return (expires ? jwt.setExpirationTime('1h') : jwt).sign(createPrivateKey({ key: privateJwk as never, format: 'jwk' }));
}

describe('user pool tokens', () => {
  it('accepts a token the pool signed with an expiry', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, { authorization: await poolToken(true) });

    expect(answer.body).toEqual({ data: { echo: { message: 'hi' } } });
  });

  // Cognito always sets exp ("Understanding user pool JSON web tokens"); that AppSync refuses a token without one, as any
  // token it cannot verify, is the sandbox's reading.
  it('refuses a token the pool signed without an expiry, as a token that does not verify', async () => {
    const answer = await graphql(t.sandbox.urls.graphql, ECHO, {}, { authorization: await poolToken(false) });

    expect(answer).toEqual({ status: 401, body: { errors: [UNAUTHORIZED] } });
  });
});

describe('API keys', () => {
  const key = (): string => t.sandbox.template.api?.apiKeys[0]?.id ?? '';
  const refused = { status: 401, body: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] } };

  it('accepts the key itself', async () => {
    expect((await graphql(t.sandbox.urls.graphql, ECHO, {}, { 'x-api-key': key() })).body).toEqual({ data: { echo: { message: 'hi' } } });
  });

  it.each([
    ['its last character changed', (k: string): string => `${k.slice(0, -1)}${k.endsWith('a') ? 'b' : 'a'}`],
    ['one character more', (k: string): string => `${k}a`],
    ['one character less', (k: string): string => k.slice(0, -1)],
    ['its case changed', (k: string): string => k.toUpperCase()],
  ])('refuses the key with %s', async (_case, change) => {
    expect(await graphql(t.sandbox.urls.graphql, ECHO, {}, { 'x-api-key': change(key()) })).toEqual(refused);
  });
});

describe('SigV4 signatures', () => {
  const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

  async function withSignature(change: (signature: string) => string): Promise<{ status: number; body: unknown }> {
    const body = JSON.stringify({ query: 'query { echo(message: "hi") { message } }' });
    const headers = await iamHeaders(t.sandbox, body);
    const authorization = headers.authorization ?? '';
    headers.authorization = authorization.replace(/Signature=([0-9a-f]+)/, (_m, signature: string) => `Signature=${change(signature)}`);
    const response = await fetch(t.sandbox.urls.graphql, { method: 'POST', headers, body });
    return { status: response.status, body: await response.json() };
  }

  it('accepts the signature itself', async () => {
    expect(await withSignature((s) => s)).toEqual({ status: 200, body: { data: { echo: { message: 'hi' } } } });
  });

  it.each([
    ['its last digit changed', (s: string): string => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`],
    ['a digit fewer', (s: string): string => s.slice(0, -1)],
    ['a digit more', (s: string): string => `${s}0`],
  ])('refuses a signature with %s as InvalidSignatureException', async (_case, change) => {
    const answer = await withSignature(change);

    expect(answer).toEqual({ status: 401, body: { errors: [{ errorType: 'InvalidSignatureException', message: SIGNATURE_MISMATCH }] } });
  });
});
