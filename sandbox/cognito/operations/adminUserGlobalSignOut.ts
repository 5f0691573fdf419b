// AdminUserGlobalSignOut: ends every session of a user, as GlobalSignOut does for oneself.
import { requiredString } from '../input.ts';
import { requirePool } from '../resources.ts';
import type { Operation } from '../state.ts';

export const adminUserGlobalSignOut: Operation = async (ctx, input) => {
  requirePool(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  ctx.tokens.revokeUser(user.username);
  ctx.log.info(`signed out ${user.attributes.email ?? user.username} everywhere (admin)`);
  return Promise.resolve({});
};
