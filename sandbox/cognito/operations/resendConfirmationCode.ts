// ResendConfirmationCode: a fresh sign-up code for an unconfirmed user.
import { sendCode } from '../codes.ts';
import { invalidParameter } from '../errors.ts';
import { requiredString } from '../input.ts';
import { requireClient } from '../resources.ts';
import type { Operation } from '../state.ts';

export const resendConfirmationCode: Operation = async (ctx, input) => {
  requireClient(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  if (!ctx.settings.autoVerifiedAttributes.some((a) => user.attributes[a] !== undefined)) {
    throw invalidParameter('Cannot resend codes. Auto verification not turned on.');
  }
  return Promise.resolve({ CodeDeliveryDetails: sendCode(ctx, user, 'SIGN_UP') });
};
