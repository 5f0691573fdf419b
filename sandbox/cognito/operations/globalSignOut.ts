// GlobalSignOut: ends every session of the signed-in user; their refresh and access tokens stop working.
import { requireSignedInUser } from '../resources.ts';
import type { Operation } from '../state.ts';

export const globalSignOut: Operation = async (ctx, input) => {
  const user = await requireSignedInUser(ctx, input);
  ctx.tokens.revokeUser(user.username);
  ctx.log.info(`signed out ${user.attributes.email ?? user.username} everywhere`);
  return {};
};
