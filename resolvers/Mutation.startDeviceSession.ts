// Records the caller's device session (seeds 001/002); DynamoDB's TTL removes it when it expires.
import { util, type AppSyncIdentityCognito, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { sessionSk, userPk } from './keys.ts';
import type { DeviceSession, MutationStartDeviceSessionArgs } from './schema-types.ts';
import { MAX_DEVICE_NAME_CHARS, requireText } from './validation.ts';

export const SESSION_DAYS = 30;

export function request(ctx: Context<MutationStartDeviceSessionArgs>) {
  const sub = callerSub(ctx);
  const id = util.autoUlid();
  const now = util.time.nowISO8601();
  const headers = ctx.request.headers as Record<string, string | undefined>;
  const item = {
    id,
    deviceName: requireText(ctx.args.input.deviceName, 'deviceName', MAX_DEVICE_NAME_CHARS),
    userAgent: headers['user-agent'] ?? null,
    sourceIp: (ctx.identity as AppSyncIdentityCognito).sourceIp[0] ?? null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: util.time.nowEpochSeconds() + SESSION_DAYS * 24 * 3600,
  };
  return ddb.put<Record<string, unknown>>({ key: { pk: userPk(sub), sk: sessionSk(id) }, item });
}

export function response(ctx: Context<MutationStartDeviceSessionArgs>): DeviceSession {
  raiseDataSourceError(ctx.error);
  return ctx.result as DeviceSession;
}
