/// <reference lib="dom" />
// Sign-in for the playground page: USER_SRP_AUTH against the sandbox's Cognito with amazon-cognito-identity-js.
// Tokens stay in this page's memory (no localStorage): a reload signs out.
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession, type ICognitoStorage } from 'amazon-cognito-identity-js';
import type { PlaygroundConfig } from './config.ts';

class MemoryStorage implements ICognitoStorage {
  private readonly items = new Map<string, string>();
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

export interface SignedIn {
  email: string;
  /** The current access token, refreshed through Cognito when it has expired. */
  accessToken(): Promise<string>;
  signOut(): void;
}

export async function signIn(config: PlaygroundConfig, email: string, password: string): Promise<SignedIn> {
  const storage = new MemoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.clientId, endpoint: `${config.cognitoEndpoint.replace(/\/$/, '')}/`, Storage: storage });
  const user = new CognitoUser({ Username: email, Pool: pool, Storage: storage });
  await new Promise<CognitoUserSession>((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), {
      onSuccess: resolve,
      onFailure: (error: { code?: string; name?: string; message?: string }) =>
        reject(new SignInError(error.code ?? error.name ?? 'SignInFailed', error.message ?? 'Sign-in failed.')),
      newPasswordRequired: () => reject(new SignInError('NewPasswordRequired', 'This user must set a new password first (AdminSetUserPassword with Permanent: true).')),
      mfaRequired: () => reject(new SignInError('MfaRequired', 'MFA is not supported by the playground.')),
      totpRequired: () => reject(new SignInError('MfaRequired', 'MFA is not supported by the playground.')),
    });
  });
  return {
    email,
    accessToken: () => new Promise((resolve, reject) => {
      // getSession answers from memory, or refreshes with the refresh token when the tokens have expired.
      user.getSession((error: Error | null, session: CognitoUserSession | null) => {
        if (error || !session) reject(new SignInError('SessionExpired', error?.message ?? 'Signed out: sign in again.'));
        else resolve(session.getAccessToken().getJwtToken());
      });
    }),
    signOut: () => {
      user.signOut();
      storage.clear();
    },
  };
}
