// Ends every device session of the caller and signs them out everywhere (the account function does
// both: a Query plus batch deletes, and Cognito's AdminUserGlobalSignOut).
import { util, type Context } from '@aws-appsync/utils';
import { callerSub, callerUsername } from './identity.ts';
import type { EndAllDeviceSessionsResult } from './schema-types.ts';

export function request(ctx: Context) {
  return { operation: 'Invoke', payload: { action: 'endAllSessions', owner: callerSub(ctx), username: callerUsername(ctx) } };
}

export function response(ctx: Context): EndAllDeviceSessionsResult {
  if (ctx.error) util.error(`Signing out everywhere failed: ${ctx.error.message}`, 'InternalFailure');
  return ctx.result as EndAllDeviceSessionsResult;
}
