// Pipeline step: a reply that awaited client tools goes back to PENDING, with a start lease, for the chat function
// to claim again (resumeChat starts it). Conditional on AWAITING_TOOL_RESULT, so of two callers that both saw the
// last answer come in, one resumes it and the other leaves it be.
import { runtime, util, type Context } from '@aws-appsync/utils';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { messageSk, messagesPk } from '../keys.ts';
import { START_LEASE_MS } from './writeTurn.ts';

interface Reply { id: string; conversationId: string }

export function request(ctx: Context) {
  const reply = ctx.stash.message as Reply;
  ctx.stash.resumed = false;
  if (ctx.stash.resumeReply !== true) runtime.earlyReturn(reply);
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: messagesPk(callerSub(ctx), reply.conversationId), sk: messageSk(reply.id) }),
    update: {
      expression: 'SET #status = :pending, leaseUntil = :lease, updatedAt = :now',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({ ':pending': 'PENDING', ':lease': util.time.nowEpochMilliSeconds() + START_LEASE_MS, ':now': util.time.nowISO8601() }),
    },
    condition: {
      expression: '#status = :awaiting',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({ ':awaiting': 'AWAITING_TOOL_RESULT' }),
    },
  };
}

export function response(ctx: Context) {
  // Another call resumed it first: the reply is on its way all the same.
  if (ctx.error?.type === 'DynamoDB:ConditionalCheckFailedException') return ctx.stash.message as unknown;
  raiseDataSourceError(ctx.error);
  ctx.stash.resumed = true;
  ctx.stash.message = ctx.result as unknown;
  return ctx.result as unknown;
}
