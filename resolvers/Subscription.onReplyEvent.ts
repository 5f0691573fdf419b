// Subscribes to one of the caller's conversations: refused unless it is theirs, and filtered on the
// owner so an event can only ever reach its owner's clients. The same owner is its invalidation filter:
// endAllDeviceSessions ends it ("Unsubscribing WebSocket connections using filters in AWS AppSync").
import { extensions, util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { callerSub } from './identity.ts';
import { conversationSk, userPk } from './keys.ts';
import type { SubscriptionOnReplyEventArgs } from './schema-types.ts';
import { requireId } from './validation.ts';

export function request(ctx: Context<SubscriptionOnReplyEventArgs>) {
  return ddb.get({ key: { pk: userPk(callerSub(ctx)), sk: conversationSk(requireId(ctx.args.conversationId, 'conversationId')) } });
}

export function response(ctx: Context<SubscriptionOnReplyEventArgs>) {
  if (ctx.error || !ctx.result) util.unauthorized();
  const ownerIsCaller = util.transform.toSubscriptionFilter({ owner: { eq: callerSub(ctx) } });
  extensions.setSubscriptionFilter(ownerIsCaller);
  extensions.setSubscriptionInvalidationFilter(ownerIsCaller);
  return null;
}
