// Starts the sandbox on port 0 from the test template (test/fixtures/api), in a temporary folder.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/sandbox.ts';
import { memorySink } from '../../../sandbox/log.ts';
import { sharedTestParts } from '../../support/sandbox-options.ts';

export interface TestSandbox {
  sandbox: Sandbox;
  logs: ReturnType<typeof memorySink>;
  dir: string;
  stop(): Promise<void>;
}

export async function startTestSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
  const cdkOut = join(dir, 'cdk.out');
  // Loaded here, not at the top: the e2e tests import this file's helpers, and aws-cdk-lib costs each ~0.5 s under jest.
  const { synthTestApp } = await import('../../fixtures/api/stack.ts');
  const stackName = synthTestApp(cdkOut);
  const logs = memorySink();
  const sandbox = await startSandbox({ cdkOut, stackName, stateDir: join(dir, 'state'), logSink: logs, ...sharedTestParts(options), ...options });
  return {
    sandbox,
    logs,
    dir,
    stop: async () => {
      await sandbox.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface GraphqlAnswer { status: number; body: { data?: Record<string, unknown> | null; errors?: Record<string, unknown>[] } }

export async function graphql(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<GraphqlAnswer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as GraphqlAnswer['body'] };
}

/** SigV4 headers for a POST to the GraphQL URL, as the AWS SDK would sign it. */
export async function iamHeaders(sandbox: Sandbox, body: string, secret = sandbox.iam.secretAccessKey, url = sandbox.urls.graphql): Promise<Record<string, string>> {
  const { hostname, host, pathname } = new URL(url);
  const signer = new SignatureV4({ credentials: { accessKeyId: sandbox.iam.accessKeyId, secretAccessKey: secret }, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname, path: pathname, query: {}, headers: { host, 'content-type': 'application/json' }, body });
  return signed.headers;
}

export async function iamGraphql(sandbox: Sandbox, query: string, variables: Record<string, unknown>): Promise<GraphqlAnswer> {
  const body = JSON.stringify({ query, variables });
  const headers = await iamHeaders(sandbox, body);
  const response = await fetch(sandbox.urls.graphql, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as GraphqlAnswer['body'] };
}

/** Signs a user up and in through the sandbox's Cognito endpoint; returns the tokens. */
export async function signedInUser(sandbox: Sandbox, email: string, password = 'Passw0rd!', groups: string[] = []): Promise<{ idToken: string; accessToken: string; sub: string }> {
  const [pool] = [...sandbox.userPools.values()];
  if (!pool) throw new Error('the template has no user pool');
  await pool.adminCreateUser({ username: email, password, attributes: { email, email_verified: 'true' }, groups });
  const [clientId = ''] = pool.clientIds;
  const response = await fetch(sandbox.urls.cognito, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }),
  });
  const result = (await response.json()) as { AuthenticationResult?: { IdToken: string; AccessToken: string } };
  if (!result.AuthenticationResult) throw new Error(`sign-in failed: ${JSON.stringify(result)}`);
  const { IdToken: idToken, AccessToken: accessToken } = result.AuthenticationResult;
  const sub = (JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { sub: string }).sub;
  return { idToken, accessToken, sub };
}

/** The pool's private key as kept under the state folder (tests forge tokens with it). */
export function poolPrivateJwk(dir: string): { kid: string; privateJwk: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(dir, 'state', 'cognito-keys.json'), 'utf8')) as { kid: string; privateJwk: Record<string, unknown> };
}
