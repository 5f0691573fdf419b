// AdminGetUser: a user's attributes and status, by username or sign-in alias.
import { requiredString } from '../input.ts';
import { requirePool } from '../resources.ts';
import type { Operation } from '../state.ts';
import { userType } from '../users.ts';

export const adminGetUser: Operation = async (ctx, input) => {
  requirePool(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  const { Attributes, ...rest } = userType(user);
  return Promise.resolve({ ...rest, UserAttributes: Attributes });
};
