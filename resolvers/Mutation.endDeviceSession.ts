// Ends one of the caller's device sessions (NotFound if it is not theirs).
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { sessionSk, userPk } from './keys.ts';
import type { DeviceSession, MutationEndDeviceSessionArgs } from './schema-types.ts';
import { requireId } from './validation.ts';

export function request(ctx: Context<MutationEndDeviceSessionArgs>) {
  return ddb.remove({ key: { pk: userPk(callerSub(ctx)), sk: sessionSk(requireId(ctx.args.id, 'id')) }, condition: { pk: { attributeExists: true } } });
}

export function response(ctx: Context<MutationEndDeviceSessionArgs>): DeviceSession {
  raiseDataSourceError(ctx.error, 'The device session was not found.');
  // AppSync treats a delete of an item that is already absent as a success with a null result.
  if (!ctx.result) util.error('The device session was not found.', 'NotFound');
  return ctx.result as DeviceSession;
}
