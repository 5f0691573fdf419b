// The caller, as every resolver needs it: the Cognito sub that starts every key (docs/architecture.md, "Data model").
import { util, type AppSyncIdentityCognito, type Context } from '@aws-appsync/utils';

/** The caller's Cognito sub; a caller without one (e.g. IAM on a user field) is refused. */
export function callerSub(ctx: Context): string {
  const identity = ctx.identity as AppSyncIdentityCognito | null;
  if (!identity?.sub) util.unauthorized();
  return identity.sub;
}

/** The caller's Cognito username (global sign-out needs it). */
export function callerUsername(ctx: Context): string {
  const identity = ctx.identity as AppSyncIdentityCognito | null;
  if (!identity?.username) util.unauthorized();
  return identity.username;
}
