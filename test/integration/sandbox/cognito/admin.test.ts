// Admin operations, password reset, revocation and what the pool stores.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_ID, POOL_ID, servePool, type ServedPool } from './serve.ts';

let served: ServedPool;

const admin = (operation: string, body: Record<string, unknown>) => served.signedCall(operation, { UserPoolId: POOL_ID, ...body });
const passwordAuth = (email: string, password: string) =>
  served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } });
const tokensOf = (body: Record<string, unknown>) => body.AuthenticationResult as { AccessToken: string; IdToken: string; RefreshToken: string };
const claims = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

beforeAll(async () => {
  served = await servePool();
});

afterAll(async () => {
  await served.close();
});

describe('the user pool for admins and resets', () => {
  it('never stores a password in plain text', async () => {
    await served.pool.adminCreateUser({ username: 'plain@example.com', password: 'Visible123Password' });
    await served.call('SignUp', { ClientId: CLIENT_ID, Username: 'plain2@example.com', Password: 'Another456Password', UserAttributes: [] });

    const stored = JSON.stringify(served.pool.storedUsers());

    expect(stored).not.toContain('Visible123Password');
    expect(stored).not.toContain('Another456Password');
    expect(served.pool.storedUsers()[0]?.credentials.srp.verifier).toMatch(/^[0-9a-f]+$/);
  });

  it('issues a confirmed user the tokens a sign-in gives, whose refresh token refreshes (the test kit\'s createUser)', async () => {
    await served.pool.adminCreateUser({ username: 'kit@example.com', password: 'Secret123', groups: ['testers'] });

    const issued = await served.pool.adminIssueTokens('kit@example.com');
    const refreshed = await served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: issued.RefreshToken } });

    expect(claims(issued.AccessToken)).toMatchObject({ token_use: 'access', client_id: CLIENT_ID, 'cognito:groups': ['testers'] });
    expect(claims(issued.IdToken)).toMatchObject({ token_use: 'id', aud: CLIENT_ID, sub: claims(issued.AccessToken)['sub'] });
    expect(refreshed.status).toBe(200);
    expect(claims(tokensOf(refreshed.body).AccessToken)['sub']).toBe(claims(issued.AccessToken)['sub']);
  });

  it('refuses to issue tokens to a user a sign-in would refuse, and for an unknown app client', async () => {
    await served.pool.adminCreateUser({ username: 'temp@example.com', password: 'Secret123', permanent: false });

    await expect(served.pool.adminIssueTokens('temp@example.com')).rejects.toThrow('must set a new password');
    await expect(served.pool.adminIssueTokens('nobody@example.com')).rejects.toMatchObject({ errorType: 'UserNotFoundException' });
    await expect(served.pool.adminIssueTokens('kit@example.com', 'no-such-client')).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
  });

  it('seeds a confirmed user whose groups appear in both tokens', async () => {
    await served.pool.adminCreateUser({ username: 'lead@example.com', password: 'Secret123', groups: ['admins'] });

    const signedIn = await passwordAuth('lead@example.com', 'Secret123');

    const { IdToken, AccessToken } = tokensOf(signedIn.body);
    expect((await admin('AdminGetUser', { Username: 'lead@example.com' })).body).toMatchObject({ UserStatus: 'CONFIRMED', Enabled: true });
    expect(claims(IdToken)['cognito:groups']).toEqual(['admins']);
    expect(claims(AccessToken)['cognito:groups']).toEqual(['admins']);
  });

  it('creates a user with a generated temporary password printed in the log', async () => {
    const created = await admin('AdminCreateUser', { Username: 'invited@example.com', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
    const line = served.sink.records.find((r) => r.message.startsWith('temporary password for invited@example.com'));
    const password = line?.message.split(': ')[1] ?? '';

    const signedIn = await passwordAuth('invited@example.com', password);

    expect(created.body.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    expect(signedIn.body).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED' });
  });

  it('refuses a temporary password after it expires', async () => {
    await served.pool.adminCreateUser({ username: 'stale@example.com', password: 'Temp1234x', permanent: false });
    served.advance(8 * 86_400_000);

    const response = await passwordAuth('stale@example.com', 'Temp1234x');

    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.' });
  });

  it('resends an invitation with a new temporary password', async () => {
    await admin('AdminCreateUser', { Username: 'resend@example.com', MessageAction: 'SUPPRESS' });

    const response = await admin('AdminCreateUser', { Username: 'resend@example.com', MessageAction: 'RESEND' });

    expect(response.body.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD' });
    expect(served.sink.records.some((r) => r.message.startsWith('temporary password for resend@example.com'))).toBe(true);
  });

  it('sets a permanent password that confirms the user', async () => {
    await admin('AdminCreateUser', { Username: 'perm@example.com', TemporaryPassword: 'Temp1234x' });

    await admin('AdminSetUserPassword', { Username: 'perm@example.com', Password: 'Final1234', Permanent: true });

    const user = await admin('AdminGetUser', { Username: 'perm@example.com' });
    expect(user.body).toMatchObject({ UserStatus: 'CONFIRMED', Enabled: true });
    expect((await passwordAuth('perm@example.com', 'Final1234')).status).toBe(200);
  });

  it('confirms a signed-up user without a code', async () => {
    await served.call('SignUp', { ClientId: CLIENT_ID, Username: 'noconfirm@example.com', Password: 'Secret123' });

    await admin('AdminConfirmSignUp', { Username: 'noconfirm@example.com' });

    expect((await admin('AdminGetUser', { Username: 'noconfirm@example.com' })).body).toMatchObject({ UserStatus: 'CONFIRMED' });
  });

  it('lists users matching an email prefix', async () => {
    await served.pool.adminCreateUser({ username: 'list-a@example.org', password: 'Secret123' });
    await served.pool.adminCreateUser({ username: 'list-b@example.org', password: 'Secret123' });

    const page = await admin('ListUsers', { Filter: 'email ^= "list-"', Limit: 1, AttributesToGet: ['email'] });
    const next = await admin('ListUsers', { Filter: 'email ^= "list-"', Limit: 1, PaginationToken: page.body.PaginationToken });

    expect(page.body.Users).toEqual([expect.objectContaining({ Attributes: [{ Name: 'email', Value: 'list-a@example.org' }] })]);
    expect(next.body.Users).toEqual([expect.objectContaining({ Attributes: expect.arrayContaining([{ Name: 'email', Value: 'list-b@example.org' }]) as unknown })]);
    expect(next.body.PaginationToken).toBeUndefined();
  });

  it('refuses an admin call naming another pool', async () => {
    const response = await served.signedCall('AdminGetUser', { UserPoolId: 'us-east-1_Other', Username: 'x' });

    expect(response.body).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool us-east-1_Other does not exist.' });
  });

  it('resets a forgotten password with the logged code', async () => {
    await served.pool.adminCreateUser({ username: 'forgot@example.com', password: 'Secret123', attributes: { email_verified: 'true' } });
    await served.call('ForgotPassword', { ClientId: CLIENT_ID, Username: 'forgot@example.com' });

    const reset = await served.call('ConfirmForgotPassword', {
      ClientId: CLIENT_ID, Username: 'forgot@example.com', ConfirmationCode: served.codeFor('forgot@example.com'), Password: 'Renewed123',
    });

    expect(reset.status).toBe(200);
    expect((await passwordAuth('forgot@example.com', 'Renewed123')).status).toBe(200);
  });

  it('resends a sign-up code that then confirms the user', async () => {
    await served.call('SignUp', { ClientId: CLIENT_ID, Username: 'resent@example.com', Password: 'Secret123' });
    const first = served.codeFor('resent@example.com');

    const resent = await served.call('ResendConfirmationCode', { ClientId: CLIENT_ID, Username: 'resent@example.com' });
    const confirmed = await served.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'resent@example.com', ConfirmationCode: served.codeFor('resent@example.com') });

    expect(resent.body.CodeDeliveryDetails).toEqual({ Destination: 'r***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(first).toMatch(/^\d{6}$/);
    expect(confirmed.status).toBe(200);
  });

  it('refuses a reset for a user without a verified email', async () => {
    await served.call('SignUp', { ClientId: CLIENT_ID, Username: 'unverified@example.com', Password: 'Secret123' });

    const response = await served.call('ForgotPassword', { ClientId: CLIENT_ID, Username: 'unverified@example.com' });

    expect(response.body).toMatchObject({ __type: 'InvalidParameterException' });
  });

  it('signs a user out everywhere for an admin: access tokens are then revoked', async () => {
    await served.pool.adminCreateUser({ username: 'kicked@example.com', password: 'Secret123' });
    const { AccessToken } = tokensOf((await passwordAuth('kicked@example.com', 'Secret123')).body);

    await admin('AdminUserGlobalSignOut', { Username: 'kicked@example.com' });

    expect((await served.call('GetUser', { AccessToken })).body).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
  });

  it('revokes one refresh token and only its session', async () => {
    await served.pool.adminCreateUser({ username: 'two@example.com', password: 'Secret123' });
    const first = tokensOf((await passwordAuth('two@example.com', 'Secret123')).body);
    const second = tokensOf((await passwordAuth('two@example.com', 'Secret123')).body);

    await served.call('RevokeToken', { ClientId: CLIENT_ID, Token: first.RefreshToken });

    expect((await served.call('GetUser', { AccessToken: first.AccessToken })).status).toBe(400);
    expect((await served.call('GetUser', { AccessToken: second.AccessToken })).body).toMatchObject({
      UserAttributes: expect.arrayContaining([{ Name: 'email', Value: 'two@example.com' }]) as unknown,
    });
  });

  it('refreshes through REFRESH_TOKEN_AUTH without a new refresh token', async () => {
    await served.pool.adminCreateUser({ username: 'again@example.com', password: 'Secret123' });
    const { RefreshToken } = tokensOf((await passwordAuth('again@example.com', 'Secret123')).body);

    const response = await served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'REFRESH_TOKEN', AuthParameters: { REFRESH_TOKEN: RefreshToken } });

    expect(response.body.AuthenticationResult).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(response.body.AuthenticationResult).not.toHaveProperty('RefreshToken');
  });
});
