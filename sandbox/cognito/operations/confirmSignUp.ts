// ConfirmSignUp: the code from the log confirms the user and verifies the attribute it was sent to.
import { consumeCode } from '../codes.ts';
import { notAuthorized } from '../errors.ts';
import { requiredString } from '../input.ts';
import { requireClient } from '../resources.ts';
import type { Operation } from '../state.ts';

export const confirmSignUp: Operation = async (ctx, input) => {
  requireClient(ctx, input);
  const user = ctx.users.require(requiredString(input, 'Username'));
  const code = requiredString(input, 'ConfirmationCode');
  if (user.status !== 'UNCONFIRMED') throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  consumeCode(ctx, user, 'SIGN_UP', code);
  user.status = 'CONFIRMED';
  for (const attribute of ctx.settings.autoVerifiedAttributes) {
    if (user.attributes[attribute] !== undefined) user.attributes[`${attribute}_verified`] = 'true';
  }
  user.modifiedAt = ctx.now();
  ctx.log.info(`confirmed ${user.attributes.email ?? user.username}`);
  return Promise.resolve({});
};
