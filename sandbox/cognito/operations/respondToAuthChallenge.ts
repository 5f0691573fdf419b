// RespondToAuthChallenge: PASSWORD_VERIFIER proves the password by SRP, NEW_PASSWORD_REQUIRED replaces a temporary one.
import { invalidParameter, notAuthorized } from '../errors.ts';
import { requiredString, requireMember, stringMap } from '../input.ts';
import { checkPolicy } from '../password.ts';
import { requireClient } from '../resources.ts';
import { completeSignIn } from '../signIn.ts';
import { TIMESTAMP_FORMAT, verifyPasswordClaim } from '../srp.ts';
import type { Operation } from '../state.ts';
import { makePermanent, setPassword } from '../accounts.ts';

const USER_ATTRIBUTE = 'userAttributes.';

export const respondToAuthChallenge: Operation = async (ctx, input) => {
  const client = requireClient(ctx, input);
  const challenge = requiredString(input, 'ChallengeName');
  const responses = stringMap(input, 'ChallengeResponses');
  if (challenge === 'PASSWORD_VERIFIER') {
    const secretBlock = requireMember(responses.PASSWORD_CLAIM_SECRET_BLOCK, 'PASSWORD_CLAIM_SECRET_BLOCK');
    const timestamp = requireMember(responses.TIMESTAMP, 'TIMESTAMP');
    const signature = requireMember(responses.PASSWORD_CLAIM_SIGNATURE, 'PASSWORD_CLAIM_SIGNATURE');
    const state = ctx.sessions.take(secretBlock, 'PASSWORD_VERIFIER', client.clientId);
    if (!TIMESTAMP_FORMAT.test(timestamp)) throw invalidParameter('TIMESTAMP format is invalid.');
    const user = ctx.users.require(state.username);
    const proven = verifyPasswordClaim({
      poolName: ctx.settings.poolName, username: user.username, verifier: user.credentials.srp.verifier,
      A: state.A, b: state.b, B: state.B, secretBlock, timestamp, signature,
    });
    if (!proven) throw notAuthorized();
    return completeSignIn(ctx, user, client);
  }
  if (challenge === 'NEW_PASSWORD_REQUIRED') {
    const state = ctx.sessions.take(requiredString(input, 'Session'), 'NEW_PASSWORD_REQUIRED', client.clientId);
    const password = requireMember(responses.NEW_PASSWORD, 'NEW_PASSWORD');
    checkPolicy(ctx.settings.passwordPolicy, password);
    const user = ctx.users.require(state.username);
    for (const [key, value] of Object.entries(responses)) {
      if (key.startsWith(USER_ATTRIBUTE)) user.attributes[key.slice(USER_ATTRIBUTE.length)] = value;
    }
    setPassword(ctx, user, password);
    makePermanent(ctx, user);
    return completeSignIn(ctx, user, client);
  }
  throw invalidParameter(`${challenge} is not a supported challenge.`);
};
