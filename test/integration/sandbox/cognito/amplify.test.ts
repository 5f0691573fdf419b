// The pool against Amplify v6 (aws-amplify/auth), its tokens checked by aws-jwt-verify against our JWKS.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { ConsoleLogger } from 'aws-amplify/utils';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { CLIENT_ID, POOL_ID, servePool, type ServedPool } from './serve.ts';

let served: ServedPool;

beforeAll(async () => {
  served = await servePool();
  // Amplify warns that the endpoint is custom: that is the point here.
  ConsoleLogger.LOG_LEVEL = 'ERROR';
  // In Node, Amplify keeps tokens in its in-memory fallback storage: no shim needed.
  Amplify.configure({ Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: CLIENT_ID, userPoolEndpoint: `${served.url}/` } } });
});

afterAll(async () => {
  await served.close();
});

async function verifier(tokenUse: 'id' | 'access') {
  const issuer = `${served.url}/${POOL_ID}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const verify = JwtRsaVerifier.create({
    issuer,
    jwksUri,
    audience: tokenUse === 'id' ? CLIENT_ID : null,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== tokenUse) throw new Error(`not an ${tokenUse} token`);
      if (tokenUse === 'access' && payload.client_id !== CLIENT_ID) throw new Error('another client');
    },
  });
  // aws-jwt-verify fetches JWKS over https only: hand it the document our pool serves over http.
  verify.cacheJwks((await (await fetch(jwksUri)).json()) as Jwks);
  return verify;
}

describe('the user pool with Amplify v6', () => {
  it('signs up, confirms with the logged code, signs in with SRP and hands out verifiable tokens', async () => {
    const up = await signUp({ username: 'amy@example.com', password: 'Secret123', options: { userAttributes: { email: 'amy@example.com' } } });
    await confirmSignUp({ username: 'amy@example.com', confirmationCode: served.codeFor('amy@example.com') });

    const result = await signIn({ username: 'amy@example.com', password: 'Secret123' });
    const { tokens } = await fetchAuthSession();

    expect(up.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    expect(result.isSignedIn).toBe(true);
    const id = await (await verifier('id')).verify(tokens?.idToken?.toString() ?? '');
    const access = await (await verifier('access')).verify(tokens?.accessToken.toString() ?? '');
    expect(id).toMatchObject({ email: 'amy@example.com', email_verified: true, 'cognito:username': up.userId });
    expect(access).toMatchObject({ username: up.userId, scope: 'aws.cognito.signin.user.admin' });
  });

  it('refreshes tokens through GetTokensFromRefreshToken', async () => {
    const before = await fetchAuthSession();

    const after = await fetchAuthSession({ forceRefresh: true });

    expect(after.tokens?.accessToken.payload.jti).not.toBe(before.tokens?.accessToken.payload.jti);
    expect(after.tokens?.accessToken.payload.origin_jti).toBe(before.tokens?.accessToken.payload.origin_jti);
  });

  it('signs out globally: the old access token is refused as revoked', async () => {
    const { tokens } = await fetchAuthSession();
    const user = await getCurrentUser();

    await signOut({ global: true });

    const refused = await served.call('GetUser', { AccessToken: tokens?.accessToken.toString() });
    expect(user.username).toBeTruthy();
    expect(refused.body).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
    expect(served.pool.isRevoked(tokens?.accessToken.payload ?? {})).toBe(true);
  });

  it('reports a wrong password as NotAuthorizedException', async () => {
    const attempt = signIn({ username: 'amy@example.com', password: 'Wrong1234' });

    await expect(attempt).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });
});
