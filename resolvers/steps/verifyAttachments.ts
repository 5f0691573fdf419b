// Pipeline step: the attachments function checks that each attachment's object was uploaded, with the declared size
// and type (a HEAD each: the table knows what was declared, only S3 what arrived). A message without attachments, or
// sent again, skips it. Its refusals come before writeTurn, so nothing is written.
import { runtime, util, type Context } from '@aws-appsync/utils';
import type { AttachmentRef } from '../attachment-limits.ts';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import type { MutationSendMessageArgs } from '../schema-types.ts';
import { skipIfDuplicate } from './loadTurnContext.ts';

interface Verdict { problems: { id: string; errorType: string; message: string }[] }

export function request(ctx: Context<MutationSendMessageArgs>) {
  skipIfDuplicate(ctx);
  const attachments = (ctx.stash.attachments ?? []) as AttachmentRef[];
  if (attachments.length === 0) return runtime.earlyReturn((ctx.prev as { result: unknown }).result, { skipTo: 'NEXT' });
  return { operation: 'Invoke', payload: { action: 'verify', owner: callerSub(ctx), conversationId: ctx.args.input.conversationId, attachments } };
}

export function response(ctx: Context<MutationSendMessageArgs>) {
  raiseDataSourceError(ctx.error);
  const [problem] = (ctx.result as Verdict).problems;
  if (problem) util.error(problem.message, problem.errorType);
  return (ctx.prev as { result: unknown }).result;
}
