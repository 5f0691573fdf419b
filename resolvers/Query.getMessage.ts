// One message: a client that reconnects mid-reply reads the text so far and its seq here.
import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { messageSk, messagesPk } from './keys.ts';
import { withBlocks } from './blocks.ts';
import { withLease } from './lease.ts';
import type { Message, QueryGetMessageArgs } from './schema-types.ts';
import { requireId } from './validation.ts';

export function request(ctx: Context<QueryGetMessageArgs>) {
  const conversationId = requireId(ctx.args.conversationId, 'conversationId');
  return ddb.get({ key: { pk: messagesPk(callerSub(ctx), conversationId), sk: messageSk(requireId(ctx.args.id, 'id')) }, consistentRead: true });
}

export function response(ctx: Context<QueryGetMessageArgs>): Message | null {
  raiseDataSourceError(ctx.error);
  const message = ctx.result as Message | null;
  return message ? withBlocks(withLease(message)) : null;
}
