// The end of every sign-in once the password is proven: refuse unconfirmed or disabled users,
// ask a user with a temporary password for a new one, otherwise issue tokens.
import { notAuthorized, userNotConfirmed } from './errors.ts';
import type { ClientSettings } from './settings.ts';
import type { PoolContext } from './state.ts';
import type { UserRecord } from './users.ts';

export async function completeSignIn(ctx: PoolContext, user: UserRecord, client: ClientSettings): Promise<Record<string, unknown>> {
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED') throw userNotConfirmed();
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    if (user.temporaryPasswordExpiresAt !== undefined && ctx.now() > user.temporaryPasswordExpiresAt) {
      throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
    }
    return {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ChallengeParameters: { USER_ID_FOR_SRP: user.username, requiredAttributes: '[]', userAttributes: JSON.stringify(user.attributes) },
      Session: ctx.sessions.start({ kind: 'NEW_PASSWORD_REQUIRED', username: user.username, clientId: client.clientId }),
    };
  }
  ctx.log.info(`signed in ${user.attributes.email ?? user.username}`);
  return { ChallengeParameters: {}, AuthenticationResult: await ctx.tokens.issue(user, client) };
}
