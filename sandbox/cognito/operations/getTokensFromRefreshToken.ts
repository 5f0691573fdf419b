// GetTokensFromRefreshToken: how Amplify v6 refreshes; new id and access tokens for the same session.
import { notAuthorized } from '../errors.ts';
import { requiredString } from '../input.ts';
import { requireClient } from '../resources.ts';
import type { Operation } from '../state.ts';

export const getTokensFromRefreshToken: Operation = async (ctx, input) => {
  const client = requireClient(ctx, input);
  const session = ctx.tokens.refreshSession(requiredString(input, 'RefreshToken'), client.clientId);
  const user = ctx.users.find(session.username);
  if (user === undefined) throw notAuthorized('User does not exist.');
  return { AuthenticationResult: await ctx.tokens.issue(user, client, session) };
};
