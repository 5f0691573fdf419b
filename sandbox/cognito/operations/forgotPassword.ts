// ForgotPassword: a reset code to the user's verified email or phone, printed in the sandbox log.
import { sendCode } from '../codes.ts';
import { invalidParameter } from '../errors.ts';
import { requiredString } from '../input.ts';
import { requireClient } from '../resources.ts';
import type { Operation } from '../state.ts';

export const forgotPassword: Operation = async (ctx, input) => {
  requireClient(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  if (user.attributes.email_verified !== 'true' && user.attributes.phone_number_verified !== 'true') {
    throw invalidParameter('Cannot reset password for the user as there is no registered/verified email or phone_number');
  }
  return Promise.resolve({ CodeDeliveryDetails: sendCode(ctx, user, 'FORGOT_PASSWORD') });
};
