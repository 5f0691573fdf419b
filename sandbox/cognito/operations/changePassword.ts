// ChangePassword: the signed-in user proves the old password and sets a new one that meets the policy.
import { notAuthorized } from '../errors.ts';
import { requiredString } from '../input.ts';
import { checkPolicy, passwordMatches } from '../password.ts';
import { requireSignedInUser } from '../resources.ts';
import type { Operation } from '../state.ts';
import { setPassword } from '../accounts.ts';

export const changePassword: Operation = async (ctx, input) => {
  const user = await requireSignedInUser(ctx, input);
  const previous = requiredString(input, 'PreviousPassword');
  const proposed = requiredString(input, 'ProposedPassword');
  if (!passwordMatches(user.credentials, previous)) throw notAuthorized();
  checkPolicy(ctx.settings.passwordPolicy, proposed, 'proposedPassword');
  setPassword(ctx, user, proposed);
  ctx.log.info(`changed password of ${user.attributes.email ?? user.username}`);
  return {};
};
