/// <reference lib="dom" />
// Sign-in with Amplify v6, configured from amplify_outputs.json as any Amplify app is. The one addition for the
// sandbox (README.md, "Point a web app at the sandbox"): its Cognito endpoint, which Amplify's outputs format cannot
// carry, read from the file's `custom.sandbox`. Amplify keeps the tokens in localStorage: a reload stays signed in.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import type { ExampleOutputs } from './server.ts';

/** Configures Amplify's Auth from the outputs; returns the GraphQL endpoint for the chat client. */
export function configureAuth(outputs: ExampleOutputs): { graphqlUrl: string } {
  const config = parseAmplifyConfig(outputs);
  const cognito = config.Auth?.Cognito;
  const endpoint = outputs.custom?.sandbox?.cognito_endpoint;
  if (cognito?.userPoolId && cognito.userPoolClientId && endpoint) {
    // What sign-in needs of the pool, and where to reach it.
    Amplify.configure({ ...config, Auth: { Cognito: { userPoolId: cognito.userPoolId, userPoolClientId: cognito.userPoolClientId, userPoolEndpoint: endpoint } } });
  } else Amplify.configure(config);
  return { graphqlUrl: outputs.data?.url ?? '' };
}

/** The signed-in user's email, or null when nobody is signed in (or the session can no longer be refreshed). */
export async function signedInEmail(): Promise<string | null> {
  try {
    const { tokens } = await fetchAuthSession();
    if (!tokens) return null;
    const email = tokens.idToken?.payload['email'];
    const username = tokens.accessToken.payload['username'];
    return typeof email === 'string' ? email : typeof username === 'string' ? username : '';
  } catch {
    return null;
  }
}

export async function signInWithPassword(email: string, password: string): Promise<string> {
  const result = await signIn({ username: email, password });
  if (!result.isSignedIn) throw new Error(`Sign-in needs a step this example does not do: ${result.nextStep.signInStep}.`);
  return (await signedInEmail()) ?? email;
}

/** The current access token, refreshed by Amplify when it has expired: the chat client's token source. */
export async function accessToken(): Promise<string> {
  const { tokens } = await fetchAuthSession();
  if (!tokens) throw new Error('Signed out: sign in again.');
  return tokens.accessToken.toString();
}

export { signOut };
