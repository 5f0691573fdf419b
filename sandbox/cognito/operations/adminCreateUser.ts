// AdminCreateUser: a user with a temporary password (FORCE_CHANGE_PASSWORD); the invitation goes to the sandbox log.
import { randomBytes } from 'node:crypto';
import { invalidParameter } from '../errors.ts';
import { attributeMap, optionalString, requiredString } from '../input.ts';
import { checkPolicy } from '../password.ts';
import { requirePool } from '../resources.ts';
import type { Operation, PoolContext } from '../state.ts';
import { createUser, setPassword } from '../accounts.ts';
import { userType, type UserRecord } from '../users.ts';

/** A temporary password that meets any policy up to 99 characters. */
function temporaryPassword(ctx: PoolContext): string {
  const body = randomBytes(32).toString('base64url').replace(/[-_]/g, 'x');
  return `${body.slice(0, Math.max(ctx.settings.passwordPolicy.minimumLength, 12) - 4)}Aa1!`;
}

function markTemporary(ctx: PoolContext, user: UserRecord): void {
  user.status = 'FORCE_CHANGE_PASSWORD';
  user.temporaryPasswordExpiresAt = ctx.now() + ctx.settings.passwordPolicy.temporaryPasswordValidityDays * 86_400_000;
}

/** The invitation Cognito would send; only a generated password needs printing. */
const announce = (ctx: PoolContext, user: UserRecord, password: string): void =>
  ctx.log.info(`temporary password for ${user.attributes.email ?? user.username}: ${password}`);

export const adminCreateUser: Operation = async (ctx, input) => {
  requirePool(ctx, input);
  const login = requiredString(input, 'Username');
  const chosen = optionalString(input, 'TemporaryPassword');
  const action = optionalString(input, 'MessageAction');
  if (action !== undefined && action !== 'RESEND' && action !== 'SUPPRESS') throw invalidParameter(`Invalid MessageAction ${action}`);
  if (chosen !== undefined) checkPolicy(ctx.settings.passwordPolicy, chosen, 'temporaryPassword');
  const password = chosen ?? temporaryPassword(ctx);
  let user: UserRecord;
  if (action === 'RESEND') {
    user = ctx.users.require(login);
    if (user.status !== 'FORCE_CHANGE_PASSWORD') throw invalidParameter('User account already exists and is not in FORCE_CHANGE_PASSWORD state.');
    setPassword(ctx, user, password);
  } else {
    user = createUser(ctx, login, attributeMap(input, 'UserAttributes'), password);
    ctx.log.info(`created user ${login}`);
  }
  markTemporary(ctx, user);
  if (chosen === undefined && action !== 'SUPPRESS') announce(ctx, user, password);
  return Promise.resolve({ User: userType(user) });
};
