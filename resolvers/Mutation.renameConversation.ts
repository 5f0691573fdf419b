// Renames one of the caller's conversations (NotFound if it is not theirs or does not exist).
import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './errors.ts';
import { callerSub } from './identity.ts';
import { conversationSk, recencySk, userPk } from './keys.ts';
import type { Conversation, MutationRenameConversationArgs } from './schema-types.ts';
import { MAX_TITLE_CHARS, requireId, requireText } from './validation.ts';

export function request(ctx: Context<MutationRenameConversationArgs>) {
  const sub = callerSub(ctx);
  const id = requireId(ctx.args.id, 'id');
  const now = util.time.nowISO8601();
  return ddb.update({
    key: { pk: userPk(sub), sk: conversationSk(id) },
    update: { title: ddb.operations.replace(requireText(ctx.args.title, 'title', MAX_TITLE_CHARS)), updatedAt: ddb.operations.replace(now), gsi1sk: ddb.operations.replace(recencySk(now, id)) },
    condition: { pk: { attributeExists: true } },
  });
}

export function response(ctx: Context<MutationRenameConversationArgs>): Conversation {
  raiseDataSourceError(ctx.error, 'The conversation was not found.');
  return ctx.result as Conversation;
}
