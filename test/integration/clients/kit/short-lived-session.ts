// A session of amazon-cognito-identity-js whose tokens expire a few seconds from now, for the same user and the same
// refresh token as a real sign-in to the sandbox: a copy of the sandbox's user pool (its users and sessions from the
// state file that `persist` keeps, its signing key), with its clock set back, refreshes the session
// (REFRESH_TOKEN_AUTH). The access token verifies against the sandbox; the refresh token stays the sandbox's, so
// CognitoUser.getSession refreshes through the sandbox's Cognito once the tokens have expired.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { CognitoAccessToken, CognitoIdToken, CognitoRefreshToken, CognitoUserSession, type CognitoUser, type ICognitoUserSessionData } from 'amazon-cognito-identity-js';
import type { Sandbox } from '../../../../sandbox/sandbox.ts';
import { backdatedPool } from '../../sandbox/expiring-token.ts';

export interface ShortLivedSession { accessToken: string; expiresAt: number }

/**
 * Replaces `user`'s session (signed in to `sandbox`, started with `persist` and `stateDir`) with one whose access and
 * id tokens expire `seconds` from now. ClockDrift 0: the library judges expiry by this machine's clock, not by the
 * tokens' issue time, which the set-back clock put in the past.
 */
export async function shortenSession(sandbox: Sandbox, stateDir: string, user: CognitoUser, seconds: number): Promise<ShortLivedSession> {
  const [served] = [...sandbox.userPools.values()];
  const refreshToken = user.getSignInUserSession()?.getRefreshToken().getToken();
  if (!served || !refreshToken) throw new Error('shortenSession needs the product\'s user pool and a signed-in user');
  // A copy: the pool below writes its own state, and must not write over the sandbox's.
  const stateFile = join(stateDir, 'short-lived-pool.json');
  copyFileSync(join(stateDir, 'cognito', `${served.poolId}.json`), stateFile);
  const { pool, clientId } = backdatedPool(sandbox, stateDir, seconds, 'short-lived-pool', stateFile);
  const answer = await pool.handle('AWSCognitoIdentityProviderService.InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  const result = (answer.body as { AuthenticationResult?: { AccessToken: string; IdToken: string } }).AuthenticationResult;
  if (!result) throw new Error(`refresh in the copy of the pool failed: ${JSON.stringify(answer.body)}`);
  // ClockDrift is read by CognitoUserSession's constructor, though its typings leave it out.
  const data: ICognitoUserSessionData & { ClockDrift: number } = {
    IdToken: new CognitoIdToken({ IdToken: result.IdToken }),
    AccessToken: new CognitoAccessToken({ AccessToken: result.AccessToken }),
    RefreshToken: new CognitoRefreshToken({ RefreshToken: refreshToken }),
    ClockDrift: 0,
  };
  const session = new CognitoUserSession(data);
  user.setSignInUserSession(session);
  return { accessToken: result.AccessToken, expiresAt: session.getAccessToken().getExpiration() * 1000 };
}
