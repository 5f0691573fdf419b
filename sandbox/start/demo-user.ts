// The demo user `npm start` prints: signed in with from a web app in the first minute, no sign-up needed.
import { CognitoError } from '../cognito/errors.ts';
import type { UserPool } from '../cognito/pool.ts';
import type { PasswordPolicy } from '../cognito/settings.ts';

export const DEMO_EMAIL = 'demo@example.com';

/** A fixed password meeting any policy: upper, lower, digit and symbol, padded to the minimum length. */
export function demoPassword(policy: Pick<PasswordPolicy, 'minimumLength'>): string {
  const base = 'Demo-password-1';
  return base.padEnd(Math.max(base.length, policy.minimumLength), 'x');
}

/** Creates the confirmed demo user, or resets its password when it exists (a persisted pool). */
export async function ensureDemoUser(pool: UserPool, password: string): Promise<{ username: string; password: string }> {
  try {
    await pool.adminCreateUser({ username: DEMO_EMAIL, password, attributes: { email: DEMO_EMAIL, email_verified: 'true' } });
  } catch (error) {
    if (!(error instanceof CognitoError) || error.errorType !== 'UsernameExistsException') throw error;
    const reset = await pool.handle('AWSCognitoIdentityProviderService.AdminSetUserPassword', { UserPoolId: pool.poolId, Username: DEMO_EMAIL, Password: password, Permanent: true });
    if (reset.status !== 200) throw new Error(`could not reset the demo user's password: ${JSON.stringify(reset.body)}`);
  }
  return { username: DEMO_EMAIL, password };
}
