// Which operations need an IAM signature, as on Cognito: Admin* and ListUsers are IAM-authenticated, SignUp,
// InitiateAuth and the rest are public or token-authorized ("Using the Amazon Cognito user pools API and user pool
// endpoints"; each action's page in the Amazon Cognito API Reference). Callers are the real AWS SDK and raw requests.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  AdminCreateUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient, ListUsersCommand, type CognitoIdentityProviderClientConfig,
} from '@aws-sdk/client-cognito-identity-provider';
import { ADMIN, CLIENT_ID, POOL_ID, servePool, signedHeaders, type ServedPool } from './serve.ts';

let served: ServedPool;

const sdk = (credentials: CognitoIdentityProviderClientConfig['credentials'] = { accessKeyId: ADMIN.accessKeyId, secretAccessKey: ADMIN.secretAccessKey }) =>
  new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: served.url, credentials, maxAttempts: 1 });
const passwordAuth = (email: string, password: string) =>
  served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } });

beforeAll(async () => {
  served = await servePool();
});

afterAll(async () => {
  await served.close();
});

describe('IAM-authenticated operations of the user pool', () => {
  // AdminDeleteUser is not served by the sandbox: it is still refused for its missing signature first, as on Cognito.
  it.each(['AdminCreateUser', 'AdminSetUserPassword', 'AdminGetUser', 'AdminUserGlobalSignOut', 'AdminConfirmSignUp', 'ListUsers', 'AdminDeleteUser'])(
    'refuses an unsigned %s with MissingAuthenticationTokenException, HTTP 403 ("Common Errors")',
    async (operation) => {
      const response = await served.call(operation, { UserPoolId: POOL_ID, Username: 'someone@example.com', Password: 'Taken0ver!', Permanent: true });

      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(response.body).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    },
  );

  it('leaves the password as it was when an unsigned AdminSetUserPassword is refused', async () => {
    await served.pool.adminCreateUser({ username: 'victim@example.com', password: 'Original123' });

    await served.call('AdminSetUserPassword', { UserPoolId: POOL_ID, Username: 'victim@example.com', Password: 'Taken0ver123', Permanent: true });

    expect((await passwordAuth('victim@example.com', 'Original123')).status).toBe(200);
    expect((await passwordAuth('victim@example.com', 'Taken0ver123')).body).toMatchObject({ __type: 'NotAuthorizedException' });
  });

  it('serves admin operations the AWS SDK signs with a known principal', async () => {
    const client = sdk();

    await client.send(new AdminCreateUserCommand({ UserPoolId: POOL_ID, Username: 'signed@example.com', TemporaryPassword: 'Temp1234x', MessageAction: 'SUPPRESS' }));
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: POOL_ID, Username: 'signed@example.com' }));

    expect(user).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
  });

  it('refuses a signature made with the wrong secret: InvalidSignatureException (its 403 is the sandbox\'s reading)', async () => {
    const client = sdk({ accessKeyId: ADMIN.accessKeyId, secretAccessKey: 'not-the-secret' });

    const refused = client.send(new ListUsersCommand({ UserPoolId: POOL_ID }));

    await expect(refused).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses an access key it does not know: UnrecognizedClientException, HTTP 403 ("Common Errors")', async () => {
    const client = sdk({ accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'whatever' });

    const refused = client.send(new ListUsersCommand({ UserPoolId: POOL_ID }));

    await expect(refused).rejects.toMatchObject({ name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.', $metadata: { httpStatusCode: 403 } });
  });

  it('refuses a signature scoped to another service', async () => {
    const body = JSON.stringify({ UserPoolId: POOL_ID });
    const headers = await signedHeaders(served.url, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUsers' }, body, ADMIN, 'appsync');

    const response = await fetch(`${served.url}/`, { method: 'POST', headers, body });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ __type: 'InvalidSignatureException', message: 'Credential should be scoped to correct service: \'cognito-idp\'.' });
  });

  it('refuses an Authorization header that is not a whole signature: IncompleteSignatureException, HTTP 403 ("Common Errors")', async () => {
    const response = await fetch(`${served.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.ListUsers', authorization: `AWS4-HMAC-SHA256 Credential=${ADMIN.accessKeyId}/20260101/us-east-1/cognito-idp/aws4_request, Signature=00` },
      body: JSON.stringify({ UserPoolId: POOL_ID }),
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
  });

  it('serves public operations without a signature', async () => {
    const signedUp = await served.call('SignUp', { ClientId: CLIENT_ID, Username: 'public@example.com', Password: 'Secret123' });

    expect(signedUp.status).toBe(200);
  });

  it('lets the sandbox\'s own seed helper create users in process, with no signature', async () => {
    const created = await served.pool.adminCreateUser({ username: 'seeded@example.com', password: 'Secret123' });

    expect(created).toMatchObject({ UserStatus: 'CONFIRMED' });
  });
});

describe('CORS for the user pool', () => {
  it('lets a page send what public clients send, never the SigV4 headers (the sandbox\'s reading: its IAM keys are no secret)', async () => {
    const response = await fetch(`${served.url}/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://evil.example', 'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-amz-content-sha256,x-amz-date,x-amz-security-token,x-amz-target,x-amz-user-agent',
      },
    });

    const allowed = (response.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim());
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-amz-target', 'x-amz-user-agent']));
    expect(allowed).not.toEqual(expect.arrayContaining(['authorization']));
    expect(allowed.filter((h) => h.startsWith('x-amz-date') || h.startsWith('x-amz-security-token') || h.startsWith('x-amz-content-sha256'))).toEqual([]);
  });
});
