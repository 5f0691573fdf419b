// Ends every device session of the caller and signs them out everywhere (the account function does
// both: a Query plus batch deletes, and Cognito's AdminUserGlobalSignOut), then ends the caller's open
// onReplyEvent subscriptions, which Cognito's sign-out cannot reach ("Unsubscribing WebSocket connections
// using filters in AWS AppSync"). The payload is the caller's own sub: a user can end only their own.
import { extensions, util, type Context } from '@aws-appsync/utils';
import { callerSub, callerUsername } from './identity.ts';
import type { EndAllDeviceSessionsResult } from './schema-types.ts';

export function request(ctx: Context) {
  return { operation: 'Invoke', payload: { action: 'endAllSessions', owner: callerSub(ctx), username: callerUsername(ctx) } };
}

export function response(ctx: Context): EndAllDeviceSessionsResult {
  if (ctx.error) util.error(`Signing out everywhere failed: ${ctx.error.message}`, 'InternalFailure');
  extensions.invalidateSubscriptions({ subscriptionField: 'onReplyEvent', payload: { owner: callerSub(ctx) } });
  return ctx.result as EndAllDeviceSessionsResult;
}
