// InitiateAuth: USER_SRP_AUTH opens the SRP exchange, USER_PASSWORD_AUTH checks the password,
// REFRESH_TOKEN_AUTH / REFRESH_TOKEN issue new id and access tokens ("InitiateAuth", Amazon Cognito API Reference).
import { invalidParameter, notAuthorized } from '../errors.ts';
import { requireMember, stringMap } from '../input.ts';
import { passwordMatches } from '../password.ts';
import { assertFlowAllowed, requireClient } from '../resources.ts';
import { completeSignIn } from '../signIn.ts';
import { serverEphemeral } from '../srp.ts';
import type { Operation } from '../state.ts';

export const initiateAuth: Operation = async (ctx, input) => {
  const client = requireClient(ctx, input);
  const flow = requireMember(typeof input.AuthFlow === 'string' ? input.AuthFlow : undefined, 'AuthFlow');
  const params = stringMap(input, 'AuthParameters');
  switch (flow) {
    case 'USER_SRP_AUTH': {
      assertFlowAllowed(client, flow);
      const user = ctx.users.require(requireMember(params.USERNAME, 'USERNAME'));
      const A = requireMember(params.SRP_A, 'SRP_A');
      if (!/^[0-9a-f]+$/i.test(A)) throw invalidParameter('SRP_A is not a hexadecimal number.');
      const { b, B } = serverEphemeral(user.credentials.srp.verifier);
      const secretBlock = ctx.sessions.start({ kind: 'PASSWORD_VERIFIER', username: user.username, clientId: client.clientId, A, b, B });
      return {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: {
          SALT: user.credentials.srp.salt, SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: user.username, USER_ID_FOR_SRP: user.username,
        },
      };
    }
    case 'USER_PASSWORD_AUTH': {
      assertFlowAllowed(client, flow);
      const user = ctx.users.require(requireMember(params.USERNAME, 'USERNAME'));
      if (!passwordMatches(user.credentials, requireMember(params.PASSWORD, 'PASSWORD'))) throw notAuthorized();
      return completeSignIn(ctx, user, client);
    }
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN': {
      const session = ctx.tokens.refreshSession(requireMember(params.REFRESH_TOKEN, 'REFRESH_TOKEN'), client.clientId);
      const user = ctx.users.find(session.username);
      if (user === undefined) throw notAuthorized('User does not exist.');
      return { ChallengeParameters: {}, AuthenticationResult: await ctx.tokens.issue(user, client, session) };
    }
    default:
      throw invalidParameter(`${flow} flow not enabled for this client`);
  }
};
