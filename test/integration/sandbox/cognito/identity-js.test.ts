// The pool against amazon-cognito-identity-js: sign-up, confirmation, SRP sign-in, refresh, password change, sign-out.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AuthenticationDetails, CognitoRefreshToken, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { CLIENT_ID, POOL_ID, servePool, type ServedPool } from './serve.ts';

let served: ServedPool;
let userPool: CognitoUserPool;

const user = (email: string): CognitoUser => new CognitoUser({ Username: email, Pool: userPool });

const signUp = (email: string, password: string): Promise<string> =>
  new Promise((resolve, reject) => {
    userPool.signUp(email, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (err, result) =>
      err || !result ? reject(err ?? new Error('no result')) : resolve(result.userSub));
  });

const confirm = (email: string, code: string): Promise<void> =>
  new Promise((resolve, reject) => {
    user(email).confirmRegistration(code, false, (err: Error | null) => (err ? reject(err) : resolve()));
  });

const signIn = (cognitoUser: CognitoUser, password: string): Promise<CognitoUserSession> =>
  new Promise((resolve, reject) => {
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: cognitoUser.getUsername(), Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('new password required')),
    });
  });

const refresh = (cognitoUser: CognitoUser, token: string): Promise<CognitoUserSession> =>
  new Promise((resolve, reject) => {
    cognitoUser.refreshSession(new CognitoRefreshToken({ RefreshToken: token }), (err: Error | null, session: CognitoUserSession) =>
      err ? reject(err) : resolve(session));
  });

async function registered(email: string, password: string): Promise<void> {
  await signUp(email, password);
  await confirm(email, served.codeFor(email));
}

beforeAll(async () => {
  served = await servePool();
  userPool = new CognitoUserPool({ UserPoolId: POOL_ID, ClientId: CLIENT_ID, endpoint: `${served.url}/` });
});

afterAll(async () => {
  await served.close();
});

describe('the user pool with amazon-cognito-identity-js', () => {
  it('signs up a user who stays unconfirmed until the logged code is given', async () => {
    const sub = await signUp('ana@example.com', 'Secret123');

    const before = served.pool.storedUsers().find((u) => u.sub === sub);
    await confirm('ana@example.com', served.codeFor('ana@example.com'));
    const after = served.pool.storedUsers().find((u) => u.sub === sub);

    expect(before?.status).toBe('UNCONFIRMED');
    expect(after?.status).toBe('CONFIRMED');
    expect(after?.attributes.email_verified).toBe('true');
  });

  it('signs in with SRP and returns tokens naming the user', async () => {
    await registered('bo@example.com', 'Secret123');

    const session = await signIn(user('bo@example.com'), 'Secret123');

    const id = session.getIdToken().decodePayload();
    expect(id.email).toBe('bo@example.com');
    expect(id.token_use).toBe('id');
    expect(id.aud).toBe(CLIENT_ID);
    expect(session.getAccessToken().decodePayload().client_id).toBe(CLIENT_ID);
  });

  it('refuses an SRP sign-in with the wrong password', async () => {
    await registered('cy@example.com', 'Secret123');

    const attempt = signIn(user('cy@example.com'), 'Wrong1234');

    await expect(attempt).rejects.toMatchObject({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('refreshes a session into new tokens of the same origin', async () => {
    await registered('di@example.com', 'Secret123');
    const cognitoUser = user('di@example.com');
    const first = await signIn(cognitoUser, 'Secret123');

    const second = await refresh(cognitoUser, first.getRefreshToken().getToken());

    const [a, b] = [first.getAccessToken().decodePayload(), second.getAccessToken().decodePayload()];
    expect(b.jti).not.toBe(a.jti);
    expect(b.origin_jti).toBe(a.origin_jti);
    expect(b.auth_time).toBe(a.auth_time);
  });

  it('changes the password: the new one signs in, the old one no longer does', async () => {
    await registered('ed@example.com', 'Secret123');
    const cognitoUser = user('ed@example.com');
    await signIn(cognitoUser, 'Secret123');

    await new Promise<void>((resolve, reject) => {
      cognitoUser.changePassword('Secret123', 'Changed456', (err) => (err ? reject(err) : resolve()));
    });

    await expect(signIn(user('ed@example.com'), 'Changed456')).resolves.toBeDefined();
    await expect(signIn(user('ed@example.com'), 'Secret123')).rejects.toMatchObject({ code: 'NotAuthorizedException' });
  });

  it('signs out globally: the refresh token is then refused', async () => {
    await registered('fa@example.com', 'Secret123');
    const cognitoUser = user('fa@example.com');
    const session = await signIn(cognitoUser, 'Secret123');

    await new Promise<void>((resolve, reject) => {
      cognitoUser.globalSignOut({ onSuccess: () => resolve(), onFailure: reject });
    });

    // The wire request refreshSession() makes; the library itself would retry a refused one for seconds.
    const refused = await served.call('InitiateAuth', {
      ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session.getRefreshToken().getToken() },
    });
    expect(refused.body).toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
  });

  it('asks a user created by an admin for a new password, then signs them in', async () => {
    await served.pool.adminCreateUser({ username: 'gu@example.com', password: 'Temp1234x', permanent: false });
    const cognitoUser = user('gu@example.com');

    const session = await new Promise<CognitoUserSession>((resolve, reject) => {
      cognitoUser.authenticateUser(new AuthenticationDetails({ Username: 'gu@example.com', Password: 'Temp1234x' }), {
        onSuccess: resolve,
        onFailure: reject,
        newPasswordRequired: () => cognitoUser.completeNewPasswordChallenge('Chosen789x', {}, { onSuccess: resolve, onFailure: reject }),
      });
    });

    expect(session.getIdToken().decodePayload().email).toBe('gu@example.com');
    expect(served.pool.storedUsers().find((u) => u.attributes.email === 'gu@example.com')?.status).toBe('CONFIRMED');
  });
});
