// History, newest first: the conversation is checked, then one Query on its message partition.
import { util, type Context } from '@aws-appsync/utils';
import type { Message, MessagePage, QueryListMessagesArgs } from './schema-types.ts';
import { withBlocks } from './blocks.ts';
import { withLease } from './lease.ts';

export function request(_ctx: Context<QueryListMessagesArgs>) {
  return {};
}

export function response(ctx: Context<QueryListMessagesArgs>): MessagePage {
  const page = (ctx.prev as { result: { items: Message[]; nextToken: string | null } | null }).result;
  if (!page) return util.error('The conversation was not found.', 'NotFound');
  return { items: page.items.map((m) => withBlocks(withLease(m))), nextToken: page.nextToken ?? null };
}
