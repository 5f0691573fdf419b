// AdminConfirmSignUp: confirms an unconfirmed user without a code.
import { notAuthorized } from '../errors.ts';
import { requiredString } from '../input.ts';
import { requirePool } from '../resources.ts';
import type { Operation } from '../state.ts';

export const adminConfirmSignUp: Operation = async (ctx, input) => {
  requirePool(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  if (user.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  user.status = 'CONFIRMED';
  user.code = undefined;
  user.modifiedAt = ctx.now();
  return Promise.resolve({});
};
