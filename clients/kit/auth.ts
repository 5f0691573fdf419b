// Token sources (graphql.ts, TokenSource) from the two sign-in libraries front ends use with Cognito: Amplify v6 and
// amazon-cognito-identity-js. Each hands the current access token, refreshed by the library when it has expired. The
// kit imports neither: the shapes below are the part of each library's API the sources call.
import type { TokenSource } from './graphql.ts';

/** No token to send: nobody is signed in, or the session could not be refreshed. errorType says which. */
export class TokenSourceError extends Error {
  override readonly name = 'TokenSourceError';
  constructor(readonly errorType: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Amplify v6's `fetchAuthSession` (from 'aws-amplify/auth'), as the source calls it. */
export type FetchAuthSession = (options?: { forceRefresh?: boolean }) => Promise<{ tokens?: { accessToken: { toString(): string } } | undefined }>;

/**
 * The access token of the user signed in with Amplify v6: pass Amplify's `fetchAuthSession`, which answers from its
 * store and refreshes the tokens with the refresh token once they have expired. AppSync takes the raw access token
 * with the userPool auth mode, as Amplify itself sends it (CONTRIBUTING.md, "Amplify v6 real-time and auth").
 */
export function amplifyTokenSource(fetchAuthSession: FetchAuthSession): TokenSource {
  return async () => {
    let session: Awaited<ReturnType<FetchAuthSession>>;
    try {
      session = await fetchAuthSession();
    } catch (error) {
      throw new TokenSourceError(errorName(error) ?? 'SessionUnavailable', `Amplify could not give a session: ${messageOf(error)}`, { cause: error });
    }
    const token = session.tokens?.accessToken.toString();
    if (!token) throw new TokenSourceError('NotSignedIn', 'Nobody is signed in with Amplify: sign in first (signIn from aws-amplify/auth).');
    return token;
  };
}

/** amazon-cognito-identity-js's `CognitoUserSession`, as the source reads it. */
export interface CognitoSessionLike {
  getAccessToken(): { getJwtToken(): string };
}

/** amazon-cognito-identity-js's `CognitoUser`, as the source calls it. */
export interface CognitoUserLike {
  getSession(callback: (error: Error | null, session: CognitoSessionLike | null) => void): void;
}

/**
 * The access token of a user signed in with amazon-cognito-identity-js (authenticateUser): `getSession` answers with
 * the session it holds while it is valid, and refreshes it with the refresh token once its tokens have expired.
 */
export function cognitoUserTokenSource(user: CognitoUserLike): TokenSource {
  return () => new Promise<string>((resolve, reject) => {
    user.getSession((error, session) => {
      if (session && !error) {
        resolve(session.getAccessToken().getJwtToken());
        return;
      }
      // Cognito's refusals carry a code (NotAuthorizedException: the refresh token was revoked or expired); a user
      // never signed in on this storage gets an Error without one.
      const code = (error as { code?: unknown } | null)?.code;
      reject(new TokenSourceError(typeof code === 'string' ? code : 'NotSignedIn', `No session for this Cognito user: ${messageOf(error)}; sign in again.`, { cause: error }));
    });
  });
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
