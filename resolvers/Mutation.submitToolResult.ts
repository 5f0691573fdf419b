// submitToolResult: the owner's conversation, its reply that awaits client tools, the result kept once, and the
// reply resumed when every awaited call has its result. Returns the reply as it now is.
import type { Context } from '@aws-appsync/utils';
import { withBlocks } from './blocks.ts';
import { withLease } from './lease.ts';
import type { Message, MutationSubmitToolResultArgs } from './schema-types.ts';

export function request(_ctx: Context<MutationSubmitToolResultArgs>) {
  return {};
}

export function response(ctx: Context<MutationSubmitToolResultArgs>): Message {
  return withBlocks(withLease(ctx.stash.message as Message));
}
