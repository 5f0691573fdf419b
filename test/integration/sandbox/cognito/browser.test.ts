// The pool from a web page on another origin, in headless Chromium: Amplify v6 signs in cross-origin as it does
// against Cognito, and no page can change a user, even one that signs with the sandbox's IAM keys (they are no secret).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../e2e/browser.ts';
import { ADMIN, CLIENT_ID, POOL_ID, servePool, type ServedPool } from './serve.ts';

// What the page runs: Amplify v6's sign-in, and the AWS SDK's AdminSetUserPassword, bundled as an app would bundle them.
const PAGE_CODE = `
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn } from 'aws-amplify/auth';
import { AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
const outcome = (promise) => promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, value: String(error && error.name) + ': ' + String(error && error.message) }));
window.amplifySignIn = (cognito, username, password) => outcome((async () => {
  Amplify.configure({ Auth: { Cognito: cognito } });
  const result = await signIn({ username, password });
  const session = await fetchAuthSession();
  return { isSignedIn: result.isSignedIn, sub: session.tokens && session.tokens.accessToken.payload.sub };
})());
window.sdkAdminSetPassword = (endpoint, credentials, input) =>
  outcome(new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 }).send(new AdminSetUserPasswordCommand(input)).then(() => 'changed'));
window.unsignedAdminSetPassword = (endpoint, input) => outcome(fetch(endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminSetUserPassword' },
  body: JSON.stringify(input),
}).then(async (response) => response.status + ' ' + await response.text()));
`;

interface Outcome { ok: boolean; value: unknown }
declare global {
  interface Window {
    amplifySignIn(cognito: Record<string, string>, username: string, password: string): Promise<Outcome>;
    sdkAdminSetPassword(endpoint: string, credentials: Record<string, string>, input: Record<string, unknown>): Promise<Outcome>;
    unsignedAdminSetPassword(endpoint: string, input: Record<string, unknown>): Promise<Outcome>;
  }
}

let served: ServedPool;
let browser: Browser;
let pageServer: Server;
let pageUrl: string;

async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    stdin: { contents: PAGE_CODE, resolveDir: process.cwd(), loader: 'js' },
    bundle: true, write: false, format: 'iife', platform: 'browser', target: ['es2022'], logLevel: 'silent', define: { global: 'globalThis' },
  });
  return result.outputFiles[0]?.text ?? '';
}

beforeAll(async () => {
  served = await servePool();
  browser = await launchChromium();
  const script = await bundle();
  // The page's own origin: same host, another port.
  pageServer = createServer((req, res) => {
    if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another app</title><script src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => pageServer?.close(() => resolve()));
  await served?.close();
});

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => typeof window.amplifySignIn === 'function');
  return page;
}

const passwordAuth = (email: string, password: string) =>
  served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } });

describe('the user pool from a page on another origin', () => {
  it('signs a user in with Amplify v6 (SRP), as Cognito serves browsers', async () => {
    const user = await served.pool.adminCreateUser({ username: 'browser@example.com', password: 'Secret123' });
    const page = await openPage();

    const signedIn = await page.evaluate(([endpoint, userPoolId, userPoolClientId]) =>
      window.amplifySignIn({ userPoolId, userPoolClientId, userPoolEndpoint: endpoint }, 'browser@example.com', 'Secret123'), [`${served.url}/`, POOL_ID, CLIENT_ID] as const);

    expect(signedIn).toEqual({ ok: true, value: { isSignedIn: true, sub: (user.Attributes as { Name: string; Value: string }[])[0]?.Value } });
  });

  it('cannot set a password with the AWS SDK signing with the sandbox\'s IAM keys: the browser is not let send the signature', async () => {
    await served.pool.adminCreateUser({ username: 'target@example.com', password: 'Original123' });
    const page = await openPage();

    const attempt = await page.evaluate(([endpoint, accessKeyId, secretAccessKey, UserPoolId]) =>
      window.sdkAdminSetPassword(endpoint, { accessKeyId, secretAccessKey }, { UserPoolId, Username: 'target@example.com', Password: 'Taken0ver123', Permanent: true }),
    [served.url, ADMIN.accessKeyId, ADMIN.secretAccessKey, POOL_ID] as const);

    expect(attempt.ok).toBe(false);
    expect((await passwordAuth('target@example.com', 'Original123')).status).toBe(200);
  });

  it('cannot set a password without a signature: MissingAuthenticationTokenException', async () => {
    await served.pool.adminCreateUser({ username: 'target2@example.com', password: 'Original123' });
    const page = await openPage();

    const attempt = await page.evaluate(([endpoint, UserPoolId]) =>
      window.unsignedAdminSetPassword(endpoint, { UserPoolId, Username: 'target2@example.com', Password: 'Taken0ver123', Permanent: true }), [`${served.url}/`, POOL_ID] as const);

    expect(attempt).toEqual({ ok: true, value: '403 {"__type":"MissingAuthenticationTokenException","message":"Missing Authentication Token"}' });
    expect((await passwordAuth('target2@example.com', 'Original123')).status).toBe(200);
  });
});
