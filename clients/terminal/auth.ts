// Sign-up and SRP sign-in with amazon-cognito-identity-js, as a web app does, against the sandbox's Cognito
// endpoint or real Cognito. Errors keep Cognito's own message and code.
import { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js';
import { cognitoEndpointFor, type ChatConfig } from './outputs.ts';

export class AuthError extends Error {
  constructor(message: string, readonly errorType: string) {
    super(message);
  }
}

/** Cognito's error as the library hands it: a message and a code such as NotAuthorizedException. */
function authError(error: unknown, endpoint: string): AuthError {
  const { message = String(error), code = '' } = (error ?? {}) as { message?: string; code?: string };
  if (code === 'NetworkError') return new AuthError(`cannot reach Cognito at ${endpoint}: is the sandbox running? Start it with npm start`, code);
  return new AuthError(message, code);
}

export interface SignedIn {
  email: string;
  /** A valid access token, refreshed with the refresh token once it expires. */
  accessToken(): Promise<string>;
}

export class CognitoAuth {
  private readonly pool: CognitoUserPool;
  private readonly endpoint: string;

  constructor(config: ChatConfig) {
    this.endpoint = cognitoEndpointFor(config);
    this.pool = new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.clientId, ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}) });
  }

  private user(email: string): CognitoUser {
    return new CognitoUser({ Username: email, Pool: this.pool });
  }

  /** SRP sign-in; `newPassword` answers Cognito's NEW_PASSWORD_REQUIRED challenge for an admin-created user. */
  signIn(email: string, password: string, newPassword?: () => Promise<string | null>): Promise<SignedIn> {
    const user = this.user(email);
    return new Promise<CognitoUserSession>((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: (error: unknown) => reject(authError(error, this.endpoint)),
        newPasswordRequired: () => {
          if (!newPassword) return reject(new AuthError('Cognito asks for a new password', 'NewPasswordRequired'));
          newPassword().then((chosen) => (chosen === null ? reject(new AuthError('no new password given', 'NewPasswordRequired')) : user.completeNewPasswordChallenge(chosen, {}, callbacks)), reject);
        },
      };
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), callbacks);
    }).then(() => ({
      email,
      accessToken: () => new Promise<string>((resolve, reject) => {
        user.getSession((error: Error | null, session: CognitoUserSession | null) => (error || !session ? reject(authError(error, this.endpoint)) : resolve(session.getAccessToken().getJwtToken())));
      }),
    }));
  }

  signUp(email: string, password: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pool.signUp(email, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (error) => (error ? reject(authError(error, this.endpoint)) : resolve()));
    });
  }

  confirm(email: string, code: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).confirmRegistration(code, true, (error) => (error ? reject(authError(error as unknown, this.endpoint)) : resolve()));
    });
  }
}
