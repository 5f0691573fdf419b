// Users for tests: confirmed, with the tokens a sign-in through the app client gives (the pool's adminIssueTokens),
// for sandbox/public.ts's createUser and the admin route's create-user action alike.
import { randomBytes } from 'node:crypto';
import type { UserPool } from '../cognito/pool.ts';

/** A confirmed user and the tokens a sign-in through the app client gives. */
export interface CreatedUser {
  email: string;
  password: string;
  sub: string;
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** A fresh email and a password any policy takes when none is given. */
export async function createTestUser(pool: UserPool, given: { email?: string; password?: string } = {}): Promise<CreatedUser> {
  const email = given.email ?? `user-${randomBytes(6).toString('hex')}@example.com`;
  // Upper and lower case, a digit and a symbol: any password policy of up to 16 characters takes it.
  const password = given.password ?? `Aa1!${randomBytes(9).toString('base64url')}`;
  await pool.adminCreateUser({ username: email, password, attributes: { email, email_verified: 'true' } });
  const tokens = await pool.adminIssueTokens(email);
  const { sub } = JSON.parse(Buffer.from(tokens.AccessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string };
  return { email, password, sub, idToken: tokens.IdToken, accessToken: tokens.AccessToken, refreshToken: tokens.RefreshToken ?? '' };
}
