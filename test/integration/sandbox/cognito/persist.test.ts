// A pool kept in a state file survives a restart: its users, their subs, attributes, groups, confirmation and
// credentials (verifiers and hashes, never a password), and the sessions they signed in or out of.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn as amplifySignIn, signOut as amplifySignOut, signUp as amplifySignUp, confirmSignUp as amplifyConfirmSignUp } from 'aws-amplify/auth';
import { ConsoleLogger } from 'aws-amplify/utils';
import { memorySink } from '../../../../sandbox/log.ts';
import { startSandbox, type Sandbox } from '../../../../sandbox/sandbox.ts';
import { DEMO_EMAIL, ensureDemoUser } from '../../../../sandbox/start/demo-user.ts';
import { synthTestApp } from '../../../fixtures/api/stack.ts';
import { CLIENT_ID, POOL_ID, servePool, type ServedPool } from './serve.ts';

const dir = mkdtempSync(join(tmpdir(), 'cognito-persist-'));
let fileNumber = 0;
const open: ServedPool[] = [];

afterEach(async () => {
  // A test may have closed its pools already (to restart them).
  for (const served of open.splice(0)) await served.close().catch(() => undefined);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A pool served over HTTP and kept in `stateFile`; a second call on the same file is the same pool restarted. */
async function poolOn(stateFile: string): Promise<ServedPool> {
  const served = await servePool({ stateFile });
  open.push(served);
  return served;
}

const newStateFile = (): string => join(dir, `pool-${(fileNumber += 1)}`, `${POOL_ID}.json`);
const identityPool = (served: ServedPool): CognitoUserPool => new CognitoUserPool({ UserPoolId: POOL_ID, ClientId: CLIENT_ID, endpoint: `${served.url}/` });

const signUp = (pool: CognitoUserPool, email: string, password: string): Promise<string> =>
  new Promise((resolve, reject) => {
    pool.signUp(email, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (err, result) =>
      err || !result ? reject(err ?? new Error('no result')) : resolve(result.userSub));
  });

const confirm = (pool: CognitoUserPool, email: string, code: string): Promise<void> =>
  new Promise((resolve, reject) => {
    new CognitoUser({ Username: email, Pool: pool }).confirmRegistration(code, false, (err: Error | null) => (err ? reject(err) : resolve()));
  });

const srpSignIn = (pool: CognitoUserPool, email: string, password: string): Promise<CognitoUserSession> =>
  new Promise((resolve, reject) => {
    new CognitoUser({ Username: email, Pool: pool }).authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('new password required')),
    });
  });

/** A sign-in over the wire without SRP, where the test is about what is kept rather than how the password is proven. */
async function passwordSignIn(served: ServedPool, email: string, password: string): Promise<{ AccessToken: string; IdToken: string; RefreshToken: string }> {
  const answer = await served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } });
  if (answer.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(answer.body)}`);
  return answer.body.AuthenticationResult as { AccessToken: string; IdToken: string; RefreshToken: string };
}
const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

const refreshWith = (served: ServedPool, token: string) =>
  served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } });

describe('a user pool kept in a state file', () => {
  it('signs a user in after a restart with the same password, as the same sub', async () => {
    const stateFile = newStateFile();
    const first = await poolOn(stateFile);
    const sub = await signUp(identityPool(first), 'kept@example.com', 'Secret123');
    await confirm(identityPool(first), 'kept@example.com', first.codeFor('kept@example.com'));
    await srpSignIn(identityPool(first), 'kept@example.com', 'Secret123');
    await first.close();

    const second = await poolOn(stateFile);
    const session = await srpSignIn(identityPool(second), 'kept@example.com', 'Secret123');

    expect(session.getAccessToken().decodePayload().sub).toBe(sub);
    expect(session.getIdToken().decodePayload()).toMatchObject({ email: 'kept@example.com', email_verified: true });
  });

  it('keeps an unconfirmed user unconfirmed, and their code good, across a restart', async () => {
    const stateFile = newStateFile();
    const first = await poolOn(stateFile);
    await signUp(identityPool(first), 'later@example.com', 'Secret123');
    const code = first.codeFor('later@example.com');
    await first.close();

    const second = await poolOn(stateFile);
    const before = srpSignIn(identityPool(second), 'later@example.com', 'Secret123');
    await expect(before).rejects.toMatchObject({ code: 'UserNotConfirmedException' });
    await confirm(identityPool(second), 'later@example.com', code);

    await expect(srpSignIn(identityPool(second), 'later@example.com', 'Secret123')).resolves.toBeDefined();
  });

  it('keeps groups and attributes of a seeded user across a restart', async () => {
    const stateFile = newStateFile();
    const first = await poolOn(stateFile);
    await first.pool.adminCreateUser({ username: 'lead@example.com', password: 'Secret123', attributes: { name: 'Lead' }, groups: ['admins'] });
    await first.close();

    const second = await poolOn(stateFile);
    const { IdToken } = await passwordSignIn(second, 'lead@example.com', 'Secret123');

    expect(claims(IdToken)).toMatchObject({ name: 'Lead', 'cognito:groups': ['admins'] });
  });

  it('keeps sessions across a restart: a refresh token still refreshes, a revoked one stays revoked', async () => {
    const stateFile = newStateFile();
    const first = await poolOn(stateFile);
    await first.pool.adminCreateUser({ username: 'sessions@example.com', password: 'Secret123' });
    const kept = await passwordSignIn(first, 'sessions@example.com', 'Secret123');
    const revoked = await passwordSignIn(first, 'sessions@example.com', 'Secret123');
    await first.call('RevokeToken', { ClientId: CLIENT_ID, Token: revoked.RefreshToken });
    await first.close();

    const second = await poolOn(stateFile);
    const refreshed = await refreshWith(second, kept.RefreshToken);
    const refused = await refreshWith(second, revoked.RefreshToken);

    expect(refreshed.status).toBe(200);
    expect(refused.body).toEqual({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });
    expect(second.pool.isRevoked(claims(revoked.AccessToken))).toBe(true);
  });

  it('writes no password, no refresh token, in the file', async () => {
    const stateFile = newStateFile();
    const served = await poolOn(stateFile);
    await served.pool.adminCreateUser({ username: 'plain@example.com', password: 'Visible123Password' });
    await signUp(identityPool(served), 'plain2@example.com', 'Another456Password');
    const { RefreshToken } = await passwordSignIn(served, 'plain@example.com', 'Visible123Password');

    const text = readFileSync(stateFile, 'utf8');

    expect(text).not.toContain('Visible123Password');
    expect(text).not.toContain('Another456Password');
    expect(text).not.toContain(RefreshToken);
    expect(text).toContain(served.pool.storedUsers()[0]?.credentials.srp.verifier);
    expect(readdirSync(join(stateFile, '..'))).toEqual([`${POOL_ID}.json`]);
  });

  it.each([
    ['not JSON', 'not json'],
    ['another pool\'s', JSON.stringify({ version: 1, poolId: 'us-east-1_Other', users: [], tokens: { refreshTokens: [], revokedOrigins: [] } })],
    ['of another version', JSON.stringify({ version: 2, poolId: POOL_ID })],
  ])('refuses to start from a state file that is %s, naming the file and what to do', async (what, content) => {
    const stateFile = join(dir, `broken-${what.replace(/\W/g, '')}.json`);
    writeFileSync(stateFile, content);

    const starting = servePool({ stateFile });

    await expect(starting).rejects.toThrow(`${stateFile} is not a state file of this user pool`);
    await expect(starting).rejects.toThrow('delete it to start the pool empty');
  });
});

describe('the sandbox with persist', () => {
  const sandboxDir = mkdtempSync(join(tmpdir(), 'sandbox-persist-'));
  const cdkOut = join(sandboxDir, 'cdk.out');
  let stackName: string;
  let sandbox: Sandbox | undefined;

  const start = async (persist: boolean, stateDir = join(sandboxDir, 'state')): Promise<Sandbox> => {
    sandbox = await startSandbox({ cdkOut, stackName, stateDir, persist, logSink: memorySink() });
    return sandbox;
  };
  const poolOf = (started: Sandbox) => {
    const [pool] = [...started.userPools.values()];
    if (!pool) throw new Error('the test template has no user pool');
    return pool;
  };
  const configureAmplify = (started: Sandbox): void => {
    const pool = poolOf(started);
    Amplify.configure({ Auth: { Cognito: { userPoolId: pool.poolId, userPoolClientId: pool.clientIds[0] ?? '', userPoolEndpoint: `${started.urls.cognito}/` } } });
  };
  const subOfSession = async (): Promise<unknown> => (await fetchAuthSession()).tokens?.accessToken.payload.sub;

  beforeAll(() => {
    ConsoleLogger.LOG_LEVEL = 'ERROR';
    stackName = synthTestApp(cdkOut);
  }, 120_000);

  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  afterAll(() => {
    rmSync(sandboxDir, { recursive: true, force: true });
  });

  it('signs a user in with Amplify v6 after a restart on the same state folder, as the same sub', async () => {
    const logs = memorySink();
    const stateDir = join(sandboxDir, 'amplify');
    sandbox = await startSandbox({ cdkOut, stackName, stateDir, persist: true, logSink: logs });
    configureAmplify(sandbox);
    const { userId } = await amplifySignUp({ username: 'ana@example.com', password: 'Passw0rd!', options: { userAttributes: { email: 'ana@example.com' } } });
    const code = /code for ana@example\.com: (\d{6})$/.exec(logs.records.map((r) => r.message).find((m) => m.includes('code for ana@example.com')) ?? '')?.[1] ?? '';
    await amplifyConfirmSignUp({ username: 'ana@example.com', confirmationCode: code });
    await amplifySignIn({ username: 'ana@example.com', password: 'Passw0rd!' });
    const before = await subOfSession();
    await amplifySignOut();
    await sandbox.stop();

    const restarted = await startSandbox({ cdkOut, stackName, stateDir, persist: true, logSink: memorySink() });
    sandbox = restarted;
    configureAmplify(restarted);
    const signedIn = await amplifySignIn({ username: 'ana@example.com', password: 'Passw0rd!' });

    expect(signedIn.isSignedIn).toBe(true);
    expect(await subOfSession()).toBe(before);
    expect(before).toBe(userId);
    await amplifySignOut();
  });

  it('keeps the demo user\'s sub across restarts, and its file holds no password', async () => {
    const stateDir = join(sandboxDir, 'demo');
    const first = await start(true, stateDir);
    await ensureDemoUser(poolOf(first), 'Demo-password-1');
    const sub = poolOf(first).storedUsers().find((u) => u.attributes.email === DEMO_EMAIL)?.sub;
    const poolId = poolOf(first).poolId;
    await first.stop();

    const second = await start(true, stateDir);
    await ensureDemoUser(poolOf(second), 'Demo-password-1');

    expect(poolOf(second).storedUsers().find((u) => u.attributes.email === DEMO_EMAIL)?.sub).toBe(sub);
    expect(readFileSync(join(stateDir, 'cognito', `${poolId}.json`), 'utf8')).not.toContain('Demo-password-1');
  });

  it('keeps no users without persist', async () => {
    const stateDir = join(sandboxDir, 'memory');
    const first = await start(false, stateDir);
    await poolOf(first).adminCreateUser({ username: 'gone@example.com', password: 'Passw0rd!' });
    await first.stop();

    const second = await start(false, stateDir);

    expect(poolOf(second).storedUsers()).toEqual([]);
    expect(existsSync(join(stateDir, 'cognito'))).toBe(false);
  });
});
