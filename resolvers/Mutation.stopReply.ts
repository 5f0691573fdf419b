// Asks the reply in flight to stop: the chat function reads stopRequested at its next checkpoint
// and ends the reply STOPPED with its text kept.
import type { Context } from '@aws-appsync/utils';
import type { Message, MutationStopReplyArgs } from './schema-types.ts';
import { withBlocks } from './blocks.ts';
import { withLease } from './lease.ts';

export function request(_ctx: Context<MutationStopReplyArgs>) {
  return {};
}

export function response(ctx: Context<MutationStopReplyArgs>): Message {
  return withBlocks(withLease((ctx.prev as { result: Message }).result));
}
