// AdminSetUserPassword: a permanent password confirms the user; a temporary one asks for a new password at sign-in.
import { requiredString } from '../input.ts';
import { checkPolicy } from '../password.ts';
import { requirePool } from '../resources.ts';
import type { Operation } from '../state.ts';
import { makePermanent, setPassword } from '../accounts.ts';

export const adminSetUserPassword: Operation = async (ctx, input) => {
  requirePool(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  const password = requiredString(input, 'Password');
  checkPolicy(ctx.settings.passwordPolicy, password);
  setPassword(ctx, user, password);
  if (input.Permanent === true) {
    makePermanent(ctx, user);
  } else {
    user.status = 'FORCE_CHANGE_PASSWORD';
    user.temporaryPasswordExpiresAt = ctx.now() + ctx.settings.passwordPolicy.temporaryPasswordValidityDays * 86_400_000;
  }
  return Promise.resolve({});
};
