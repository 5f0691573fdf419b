// The sign-in dialogue: sign in or sign up, the emailed confirmation code, Cognito's messages on failure.
import { AuthError, type CognitoAuth, type SignedIn } from './auth.ts';
import type { Render } from './render.ts';
import type { Terminal } from './terminal.ts';

const TRIES = 3;

export async function signInDialogue(terminal: Terminal, auth: CognitoAuth, render: Render, sandbox: boolean): Promise<SignedIn | null> {
  const mode = await terminal.ask('Sign in (i) or sign up (u)? [i] ');
  if (mode === null) return null;
  const email = (await terminal.ask('Email: '))?.trim();
  if (!email) return null;
  if (mode.trim().toLowerCase().startsWith('u')) {
    const password = await terminal.ask('Choose a password: ', { secret: true });
    if (password === null) return null;
    await auth.signUp(email, password);
    if (!(await confirm(terminal, auth, render, email, sandbox))) return null;
    return auth.signIn(email, password);
  }
  for (let attempt = 1; ; attempt++) {
    const password = await terminal.ask('Password: ', { secret: true });
    if (password === null) return null;
    try {
      return await auth.signIn(email, password, () => terminal.ask('Cognito asks for a new password: ', { secret: true }));
    } catch (error) {
      if (!(error instanceof AuthError) || attempt >= TRIES) throw error;
      if (error.errorType === 'UserNotConfirmedException') {
        terminal.write(render.note('This account is not confirmed yet.'));
        if (!(await confirm(terminal, auth, render, email, sandbox))) return null;
        return auth.signIn(email, password);
      }
      if (error.errorType !== 'NotAuthorizedException') throw error;
      terminal.write(render.error(error.message));
    }
  }
}

async function confirm(terminal: Terminal, auth: CognitoAuth, render: Render, email: string, sandbox: boolean): Promise<boolean> {
  const where = sandbox ? 'in the sandbox, it is in the log of npm start' : `sent to ${email}`;
  for (let attempt = 1; ; attempt++) {
    const code = await terminal.ask(`Confirmation code (${where}): `);
    if (code === null) return false;
    try {
      await auth.confirm(email, code.trim());
      return true;
    } catch (error) {
      if (!(error instanceof AuthError) || attempt >= TRIES) throw error;
      terminal.write(render.error(error.message));
    }
  }
}
