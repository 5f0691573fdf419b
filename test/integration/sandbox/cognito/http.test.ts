// The pool on a Node server (well-known documents, CORS, requests that are not Cognito's), its key file and template settings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { UserPoolVerifier } from '../../../../sandbox/appsync/auth.ts';
import { createLogger, memorySink } from '../../../../sandbox/log.ts';
import { UserPool, userPoolSettingsFromTemplate } from '../../../../sandbox/cognito/pool.ts';
import { CLIENT_ID, POOL_ID, servePool, type ServedPool } from './serve.ts';

let served: ServedPool;
const keyDir = mkdtempSync(join(tmpdir(), 'cognito-keys-'));

beforeAll(async () => {
  served = await servePool();
});

afterAll(async () => {
  await served.close();
  rmSync(keyDir, { recursive: true, force: true });
});

describe('the user pool over HTTP', () => {
  it('serves its JWKS at /<poolId>/.well-known/jwks.json', async () => {
    const response = await fetch(`${served.url}/${POOL_ID}/.well-known/jwks.json`);

    const jwks = (await response.json()) as { keys: { kid: string; alg: string; kty: string }[] };
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig' })]);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves an OpenID configuration naming its issuer and JWKS', async () => {
    const response = await fetch(`${served.url}/${POOL_ID}/.well-known/openid-configuration`);

    expect(await response.json()).toMatchObject({ issuer: `${served.url}/${POOL_ID}`, jwks_uri: `${served.url}/${POOL_ID}/.well-known/jwks.json` });
  });

  it('answers a browser preflight for a Cognito call', async () => {
    const response = await fetch(`${served.url}/`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-amz-target,x-amz-user-agent' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('x-amz-target');
  });

  it('adds CORS headers to API answers, errors included', async () => {
    const response = await served.call('GetUser', { AccessToken: 'x' });

    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-amzn-errortype');
  });

  it('refuses a body over 5 MB before reading it all: HTTP 413 RequestEntityTooLargeException (AWS\'s Common Errors; the 5 MB cap is the sandbox\'s reading)', async () => {
    const body = JSON.stringify({ ClientId: CLIENT_ID, Username: 'big@example.com', Password: 'Secret123', ClientMetadata: { pad: 'x'.repeat(5 * 1024 * 1024) } });

    const response = await served.call('SignUp', JSON.parse(body));

    expect(response.status).toBe(413);
    expect(response.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
    expect(response.body).toEqual({ __type: 'RequestEntityTooLargeException', message: 'The request entity is too large.' });
    expect(served.pool.storedUsers().some((u) => u.attributes.email === 'big@example.com')).toBe(false);
  });

  it('leaves requests that are not Cognito calls to the server it is mounted on', async () => {
    const post = await fetch(`${served.url}/graphql`, { method: 'POST', body: '{}' });
    const preflight = await fetch(`${served.url}/graphql`, { method: 'OPTIONS', headers: { 'access-control-request-headers': 'authorization' } });

    expect(post.status).toBe(404);
    expect(preflight.status).toBe(404);
  });

  it('lists its app clients and issuer as the AppSync emulator reads them', () => {
    const verifier: UserPoolVerifier = served.pool;

    expect(verifier.clientIds).toEqual([CLIENT_ID]);
    expect(verifier.issuer).toBe(`${served.url}/${POOL_ID}`);
    expect(verifier.isRevoked?.({ origin_jti: 'never-issued' })).toBe(false);
  });
});

describe('the user pool signing key', () => {
  it('is kept in the key file and reused by the next pool', () => {
    const keyFile = join(keyDir, '.sandbox', 'cognito-keys.json');
    const options = {
      poolId: POOL_ID, region: 'us-east-1', issuerBase: 'http://127.0.0.1:4000', clients: [],
      passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
      keyFile, log: createLogger('cognito', memorySink()),
    };

    const first = new UserPool(options).jwks();
    const second = new UserPool(options).jwks();

    expect(second).toEqual(first);
  });

  it('refuses a pool id without a region prefix', () => {
    const make = (): UserPool => new UserPool({
      poolId: 'nounderscore', region: 'us-east-1', issuerBase: 'http://x', clients: [],
      passwordPolicy: { minimumLength: 8, requireLowercase: false, requireUppercase: false, requireNumbers: false, requireSymbols: false },
      log: createLogger('cognito', memorySink()),
    });

    expect(make).toThrow('is not <region>_<id>');
  });
});

describe('user pool settings from the template', () => {
  it('maps the password policy, username attributes and auto-verified attributes', () => {
    const settings = userPoolSettingsFromTemplate({
      Policies: { PasswordPolicy: { MinimumLength: 10, RequireLowercase: true, RequireNumbers: true, RequireUppercase: false, RequireSymbols: false } },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
    }, []);

    expect(settings).toEqual({
      clients: [],
      passwordPolicy: { minimumLength: 10, requireLowercase: true, requireNumbers: true, requireUppercase: false, requireSymbols: false, temporaryPasswordValidityDays: 7 },
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
    });
  });

  it("uses Cognito's default policy when the template sets none", () => {
    const settings = userPoolSettingsFromTemplate({}, []);

    expect(settings.passwordPolicy).toMatchObject({ minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true });
  });

  it('reads client flows and token validity in their units', () => {
    const settings = userPoolSettingsFromTemplate({}, [{
      clientId: 'c1',
      properties: {
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 60, IdTokenValidity: 2, RefreshTokenValidity: 60,
        TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
      },
    }]);

    expect(settings.clients).toEqual([{
      clientId: 'c1', explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      accessTokenValidityMinutes: 60, idTokenValidityMinutes: 120, refreshTokenValidityDays: 60 / 1440,
    }]);
  });
});
