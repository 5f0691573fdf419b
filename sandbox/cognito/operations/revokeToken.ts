// RevokeToken: ends the session of one refresh token, as Amplify's signOut() does.
import { requiredString } from '../input.ts';
import { requireClient } from '../resources.ts';
import type { Operation } from '../state.ts';

export const revokeToken: Operation = async (ctx, input) => {
  const client = requireClient(ctx, input);
  ctx.tokens.revokeRefreshToken(requiredString(input, 'Token'), client.clientId);
  return Promise.resolve({});
};
