// Pipeline step: one BatchGetItem for what a turn needs to know: the conversation, today's usage
// (quota), whether this clientMessageId was already sent (idempotency), and the records of the attachments it sends.
import { runtime, util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { AttachmentRef } from '../attachment-limits.ts';
import { sendableAttachments, type AttachmentItem } from '../attachments.ts';
import { raiseDataSourceError } from '../errors.ts';
import { callerSub } from '../identity.ts';
import { attachmentSk, clientMessageSk, conversationSk, messagesPk, usageSk, userPk } from '../keys.ts';
import { requireTokensLeft, today } from '../quota.ts';
import type { MutationSendMessageArgs } from '../schema-types.ts';

export function request(ctx: Context<MutationSendMessageArgs>) {
  const sub = callerSub(ctx);
  const { conversationId, clientMessageId } = ctx.args.input;
  const attachmentIds = (ctx.stash.attachmentIds ?? []) as string[];
  return ddb.batchGet({
    tables: {
      [ctx.env.TABLE_NAME ?? '']: {
        keys: [
          { pk: userPk(sub), sk: conversationSk(conversationId) },
          { pk: userPk(sub), sk: usageSk(today()) },
          { pk: messagesPk(sub, conversationId), sk: clientMessageSk(clientMessageId) },
          // Under the caller's conversation: another user's attachment id, or one of another conversation, finds nothing.
          ...attachmentIds.map((id) => ({ pk: messagesPk(sub, conversationId), sk: attachmentSk(id) })),
        ],
        consistentRead: true,
      },
    },
  });
}

export function response(ctx: Context<MutationSendMessageArgs>) {
  raiseDataSourceError(ctx.error);
  const [conversation, usage, sent, ...attachments] = (ctx.result as { data: Record<string, (Record<string, unknown> | null)[]> }).data[ctx.env.TABLE_NAME ?? ''] ?? [];
  const attachmentIds = (ctx.stash.attachmentIds ?? []) as string[];
  if (sent) {
    // The same clientMessageId again: the turn it made is answered (loadSentTurn reads its reply as it is now), and
    // no other is made. The same id with other content (or other attachments) is a client's mistake, refused before
    // anything is written.
    const turn = { userMessage: sent.userMessage as { content: string; attachments?: AttachmentRef[] | null }, reply: sent.reply as { id: string; conversationId: string } };
    const sentIds = (turn.userMessage.attachments ?? []).map((attachment) => attachment.id).join(',');
    if (turn.userMessage.content !== ctx.stash.content || sentIds !== attachmentIds.join(',')) {
      util.error(`clientMessageId '${ctx.args.input.clientMessageId}' was already used for a different message in this conversation; send a new message with a new clientMessageId.`, 'Conflict');
    }
    ctx.stash.duplicate = true;
    ctx.stash.sent = turn;
    return turn;
  }
  if (!conversation) util.error('The conversation was not found.', 'NotFound');
  // Refused here once the day's tokens are spent; writeTurn reserves what the turn may use, or refuses it.
  requireTokensLeft(usage, ctx.env);
  ctx.stash.conversation = conversation;
  ctx.stash.usage = usage ?? null;
  ctx.stash.attachments = sendableAttachments(attachmentIds, attachments as (AttachmentItem | null)[], util.time.nowEpochSeconds());
  return null;
}

/** Later steps skip themselves when the turn was a duplicate. */
export function skipIfDuplicate(ctx: Context): void {
  if (ctx.stash.duplicate) runtime.earlyReturn((ctx.prev as { result: unknown }).result, { skipTo: 'END' });
}
