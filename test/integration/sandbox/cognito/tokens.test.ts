// The pool's own check of the access tokens its operations take (GetUser, ChangePassword, GlobalSignOut): a token it
// signed is still refused without an expiry. Cognito always sets exp ("Understanding user pool JSON web tokens": the
// access token's exp claim); a token without one is not Cognito's, which the sandbox reads as an invalid token.
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, type JWTPayload } from 'jose';
import { loadSigningKey } from '../../../../sandbox/cognito/keys.ts';
import { CLIENT_ID, servePool, type ServedPool } from './serve.ts';

let served: ServedPool;
let dir: string;
let sign: (claims: JWTPayload, expires: boolean) => Promise<string>;
let sub: string;
let username: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cognito-tokens-'));
  const keyFile = join(dir, 'cognito-keys.json');
  loadSigningKey(keyFile);
  const { kid, privateJwk } = JSON.parse(readFileSync(keyFile, 'utf8')) as { kid: string; privateJwk: Record<string, unknown> };
  served = await servePool({ keyFile });
  await served.pool.adminCreateUser({ username: 'ana@example.com', password: 'Passw0rd!', attributes: { email: 'ana@example.com', email_verified: 'true' } });
  const [record] = served.pool.storedUsers();
  sub = record?.sub ?? '';
  username = record?.username ?? '';
  sign = (claims, expires) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(served.pool.issuer).setSubject(sub).setIssuedAt();
    return (expires ? jwt.setExpirationTime('1h') : jwt).sign(createPrivateKey({ key: privateJwk as never, format: 'jwk' }));
  };
});

afterAll(async () => {
  await served?.close();
  rmSync(dir, { recursive: true, force: true });
});

const accessClaims = (): JWTPayload => ({ token_use: 'access', client_id: CLIENT_ID, username, origin_jti: 'o', jti: 'j' });

describe('access tokens the pool verifies', () => {
  it('accepts a token it signed with an expiry', async () => {
    const response = await served.call('GetUser', { AccessToken: await sign(accessClaims(), true) });

    expect(response.body).toMatchObject({ Username: username });
  });

  it('refuses a token it signed without an expiry as an invalid access token', async () => {
    const response = await served.call('GetUser', { AccessToken: await sign(accessClaims(), false) });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' });
  });
});
