// The app client, user pool or signed-in user a request names, and what the client allows.
import { invalidParameter, notAuthorized, resourceNotFound } from './errors.ts';
import type { ClientSettings } from './settings.ts';
import type { PoolContext } from './state.ts';
import { requiredString, type Input } from './input.ts';
import type { UserRecord } from './users.ts';

export function requireClient(ctx: PoolContext, input: Input): ClientSettings {
  const clientId = requiredString(input, 'ClientId');
  const client = ctx.settings.clients.get(clientId);
  if (client === undefined) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return client;
}

/** Admin operations name the pool: it must be this one. */
export function requirePool(ctx: PoolContext, input: Input): void {
  const poolId = requiredString(input, 'UserPoolId');
  if (poolId !== ctx.settings.poolId) throw resourceNotFound(`User pool ${poolId} does not exist.`);
}

export function assertFlowAllowed(client: ClientSettings, flow: string): void {
  if (!client.flows.has(flow)) throw invalidParameter(`${flow} flow not enabled for this client`);
}

/** The user an AccessToken member names, once the token is verified and not revoked. */
export async function requireSignedInUser(ctx: PoolContext, input: Input): Promise<UserRecord> {
  const claims = await ctx.tokens.verifyAccessToken(requiredString(input, 'AccessToken'));
  const user = ctx.users.find(claims.username);
  if (user === undefined) throw notAuthorized('User does not exist.');
  return user;
}
