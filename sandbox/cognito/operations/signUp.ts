// SignUp: a new, unconfirmed user; the confirmation code goes to the sandbox log ("SignUp", Amazon Cognito API Reference).
import { sendCode } from '../codes.ts';
import { attributeMap, requiredString } from '../input.ts';
import { checkPolicy } from '../password.ts';
import { requireClient } from '../resources.ts';
import type { Operation } from '../state.ts';
import { createUser } from '../accounts.ts';

export const signUp: Operation = async (ctx, input) => {
  requireClient(ctx, input);
  const login = requiredString(input, 'Username');
  const password = requiredString(input, 'Password');
  checkPolicy(ctx.settings.passwordPolicy, password);
  const user = createUser(ctx, login, attributeMap(input, 'UserAttributes'), password);
  ctx.log.info(`signed up ${login}`);
  const verifiable = ctx.settings.autoVerifiedAttributes.some((a) => user.attributes[a] !== undefined);
  const output: Record<string, unknown> = { UserConfirmed: false, UserSub: user.sub };
  if (verifiable) output.CodeDeliveryDetails = sendCode(ctx, user, 'SIGN_UP');
  return Promise.resolve(output);
};
