// ConfirmForgotPassword: the reset code from the log and a new password that meets the policy.
import { consumeCode } from '../codes.ts';
import { requiredString } from '../input.ts';
import { checkPolicy } from '../password.ts';
import { requireClient } from '../resources.ts';
import type { Operation } from '../state.ts';
import { setPassword } from '../accounts.ts';

export const confirmForgotPassword: Operation = async (ctx, input) => {
  requireClient(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  const code = requiredString(input, 'ConfirmationCode');
  const password = requiredString(input, 'Password');
  checkPolicy(ctx.settings.passwordPolicy, password);
  consumeCode(ctx, user, 'FORGOT_PASSWORD', code);
  setPassword(ctx, user, password);
  if (user.status === 'FORCE_CHANGE_PASSWORD') user.status = 'CONFIRMED';
  ctx.log.info(`reset password of ${user.attributes.email ?? user.username}`);
  return Promise.resolve({});
};
