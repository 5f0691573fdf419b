// Each failure answered with Cognito's exact error: HTTP 400, x-amzn-errortype and { __type, message }.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CLIENT_ID, servePool, type ServedPool } from './serve.ts';

let served: ServedPool;

const signUp = (email: string, password = 'Secret123') =>
  served.call('SignUp', { ClientId: CLIENT_ID, Username: email, Password: password, UserAttributes: [{ Name: 'email', Value: email }] });
const passwordAuth = (email: string, password: string) =>
  served.call('InitiateAuth', { ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } });
async function confirmed(email: string): Promise<void> {
  await signUp(email);
  await served.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: email, ConfirmationCode: served.codeFor(email) });
}

beforeAll(async () => {
  served = await servePool({
    clients: [
      { clientId: CLIENT_ID, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], accessTokenValidityMinutes: 5 },
      { clientId: 'srponly', explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
    ],
  });
});

afterAll(async () => {
  await served.close();
});

describe('Cognito errors from the user pool', () => {
  it('answers a wrong password with NotAuthorizedException in header and body', async () => {
    await confirmed('wrong@example.com');

    const response = await passwordAuth('wrong@example.com', 'Nope12345');

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('answers an unknown user with UserNotFoundException', async () => {
    const response = await passwordAuth('nobody@example.com', 'Secret123');

    expect(response.body).toEqual({ __type: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('answers a second sign-up with the same email with UsernameExistsException', async () => {
    await signUp('twice@example.com');

    const response = await signUp('twice@example.com');

    expect(response.body).toEqual({ __type: 'UsernameExistsException', message: 'An account with the given email already exists.' });
  });

  it('answers a password without digits with InvalidPasswordException in the policy wording', async () => {
    const response = await signUp('weak@example.com', 'Secretive');

    expect(response.body).toEqual({ __type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have numeric characters' });
  });

  it('answers a short password with the length requirement first', async () => {
    const response = await signUp('short@example.com', 'Se1');

    expect(response.body).toMatchObject({ __type: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' });
  });

  it('answers a wrong confirmation code with CodeMismatchException', async () => {
    await signUp('code@example.com');
    const wrong = served.codeFor('code@example.com') === '000000' ? '111111' : '000000';

    const response = await served.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'code@example.com', ConfirmationCode: wrong });

    expect(response.body).toEqual({ __type: 'CodeMismatchException', message: 'Invalid verification code provided, please try again.' });
  });

  it('answers a code used after 24 hours with ExpiredCodeException', async () => {
    await signUp('late@example.com');
    const code = served.codeFor('late@example.com');
    served.advance(25 * 3600_000);

    const response = await served.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'late@example.com', ConfirmationCode: code });

    expect(response.body).toEqual({ __type: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' });
  });

  it('locks a code after five wrong attempts with LimitExceededException', async () => {
    await signUp('guess@example.com');
    const right = served.codeFor('guess@example.com');
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) await served.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'guess@example.com', ConfirmationCode: wrong });

    const response = await served.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'guess@example.com', ConfirmationCode: right });

    expect(response.body).toMatchObject({ __type: 'LimitExceededException' });
  });

  it('answers a sign-in of an unconfirmed user with UserNotConfirmedException', async () => {
    await signUp('pending@example.com');

    const response = await passwordAuth('pending@example.com', 'Secret123');

    expect(response.body).toEqual({ __type: 'UserNotConfirmedException', message: 'User is not confirmed.' });
  });

  it('answers an unknown operation with UnknownOperationException', async () => {
    const response = await served.call('DeleteEverything', {});

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ __type: 'UnknownOperationException' });
  });

  it('answers an unknown app client with ResourceNotFoundException', async () => {
    const response = await served.call('SignUp', { ClientId: 'nosuchclient', Username: 'x@example.com', Password: 'Secret123' });

    expect(response.body).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client nosuchclient does not exist.' });
  });

  it('answers a missing member with InvalidParameterException', async () => {
    const response = await served.call('SignUp', { ClientId: CLIENT_ID, Password: 'Secret123' });

    expect(response.body).toMatchObject({ __type: 'InvalidParameterException', message: expect.stringContaining("at 'username'") as unknown });
  });

  it('answers a non-email username with InvalidParameterException', async () => {
    const response = await signUp('not-an-email');

    expect(response.body).toEqual({ __type: 'InvalidParameterException', message: 'Username should be an email.' });
  });

  it('refuses USER_PASSWORD_AUTH on a client that does not allow it', async () => {
    const response = await served.call('InitiateAuth', { ClientId: 'srponly', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a@example.com', PASSWORD: 'x' } });

    expect(response.body).toEqual({ __type: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
  });

  it('answers a body that is not JSON with SerializationException', async () => {
    const response = await fetch(`${served.url}/`, {
      method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, body: '{not json',
    });

    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('refuses an expired access token', async () => {
    await confirmed('expiry@example.com');
    const signedIn = await passwordAuth('expiry@example.com', 'Secret123');
    const { AccessToken } = signedIn.body.AuthenticationResult as { AccessToken: string };
    served.advance(6 * 60_000);

    const response = await served.call('GetUser', { AccessToken });

    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'Access Token has expired' });
  });

  it('refuses a token it did not sign', async () => {
    const response = await served.call('GetUser', { AccessToken: 'eyJhbGciOiJub25lIn0.e30.' });

    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Access Token' });
  });

  it('refuses a refresh token it never issued', async () => {
    const response = await served.call('GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: 'made.up.token' });

    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  });

  it('refuses a PASSWORD_VERIFIER answer to a secret block it never gave', async () => {
    const response = await served.call('RespondToAuthChallenge', {
      ClientId: CLIENT_ID, ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: { USERNAME: 'u', PASSWORD_CLAIM_SECRET_BLOCK: 'AAAA', TIMESTAMP: 'Mon Jan 1 00:00:00 UTC 2024', PASSWORD_CLAIM_SIGNATURE: 'AAAA' },
    });

    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'Invalid session for the user.' });
  });

  it('refuses to resend a code to a confirmed user', async () => {
    await confirmed('done@example.com');

    const response = await served.call('ResendConfirmationCode', { ClientId: CLIENT_ID, Username: 'done@example.com' });

    expect(response.body).toEqual({ __type: 'InvalidParameterException', message: 'User is already confirmed.' });
  });

  it('refuses to confirm a user twice', async () => {
    await confirmed('again@example.com');

    const response = await served.call('ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'again@example.com', ConfirmationCode: '123456' });

    expect(response.body).toEqual({ __type: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });
});
