// Pipeline step: keeps a client tool's result on the reply that awaits it (toolResults, by toolUseId), once: the
// same result sent again (a retry after a lost answer) returns the reply as it is, even after the reply went on and
// made it a TOOL_RESULT block; a different one is refused. When every call the reply awaits has its result, the
// next step (resumeReply) starts the reply again.
import { runtime, util, type Context } from '@aws-appsync/utils';
import { raiseDataSourceError } from '../errors.ts';
import { MAX_TOOL_RESULT_CHARS } from '../client-tools.ts';
import { callerSub } from '../identity.ts';
import { messageSk, messagesPk } from '../keys.ts';
import type { ContentBlock, MutationSubmitToolResultArgs } from '../schema-types.ts';

export interface StoredToolResult {
  /** JSON text. */
  output: string;
  isError: boolean;
}

interface AwaitingReply {
  id: string;
  conversationId: string;
  status: string;
  blocks?: ContentBlock[] | null;
  toolResults?: Record<string, StoredToolResult> | null;
}

/** The result already given for a call: kept in toolResults while the reply waits, a TOOL_RESULT block after. */
function earlierResult(reply: AwaitingReply, toolUseId: string): StoredToolResult | undefined {
  const kept = (reply.toolResults ?? {})[toolUseId];
  if (kept) return kept;
  const block = (reply.blocks ?? []).find((candidate) => candidate.type === 'TOOL_RESULT' && candidate.toolUseId === toolUseId);
  return block ? { output: block.output ?? 'null', isError: block.isError === true } : undefined;
}

/** The toolUseIds the reply awaits: its client tools' calls, marked AWAITING_RESULT. */
export function awaitedCalls(reply: AwaitingReply): string[] {
  return (reply.blocks ?? []).filter((block) => block.type === 'TOOL_USE' && block.status === 'AWAITING_RESULT').map((block) => block.toolUseId ?? '');
}

function resumeWhenAnswered(ctx: Context, reply: AwaitingReply): void {
  const results = reply.toolResults ?? {};
  ctx.stash.message = reply;
  ctx.stash.resumeReply = awaitedCalls(reply).every((id) => results[id] !== undefined);
}

export function request(ctx: Context<MutationSubmitToolResultArgs>) {
  const { toolUseId, isError } = ctx.args.input;
  const reply = ctx.stash.reply as AwaitingReply;
  // AWSJSON arrives parsed; it is kept as the JSON text the model will read.
  const output = JSON.stringify(ctx.args.input.output);
  if (output.length > MAX_TOOL_RESULT_CHARS) {
    util.error(`output is ${output.length} characters of JSON; the limit is ${MAX_TOOL_RESULT_CHARS}.`, 'ValidationError');
  }
  const result: StoredToolResult = { output, isError: isError === true };
  const earlier = earlierResult(reply, toolUseId);
  if (earlier) {
    if (earlier.output !== result.output || earlier.isError !== result.isError) {
      util.error(`A different result was already submitted for the tool call '${toolUseId}'.`, 'Conflict');
    }
    // The same answer again: nothing to write. A reply still waiting may need resuming (a retry after a failure).
    if (reply.status === 'AWAITING_TOOL_RESULT') resumeWhenAnswered(ctx, reply);
    else ctx.stash.message = reply;
    runtime.earlyReturn(reply);
  }
  if (reply.status !== 'AWAITING_TOOL_RESULT') util.error('The reply is not waiting for a tool result.', 'Conflict');
  if (!awaitedCalls(reply).includes(toolUseId)) {
    util.error(`The reply has no client tool call '${toolUseId}' waiting for a result.`, 'ValidationError');
  }
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: messagesPk(callerSub(ctx), reply.conversationId), sk: messageSk(reply.id) }),
    update: {
      expression: 'SET toolResults.#call = :result',
      expressionNames: { '#call': toolUseId },
      expressionValues: util.dynamodb.toMapValues({ ':result': result }),
    },
    condition: {
      expression: '#status = :awaiting AND attribute_not_exists(toolResults.#call)',
      expressionNames: { '#status': 'status', '#call': toolUseId },
      expressionValues: util.dynamodb.toMapValues({ ':awaiting': 'AWAITING_TOOL_RESULT' }),
    },
  };
}

export function response(ctx: Context<MutationSubmitToolResultArgs>) {
  if (ctx.error?.type === 'DynamoDB:ConditionalCheckFailedException') {
    util.error('The reply stopped waiting, or this tool call was answered meanwhile: read the message again.', 'Conflict');
  }
  raiseDataSourceError(ctx.error);
  resumeWhenAnswered(ctx, ctx.result as AwaitingReply);
  return ctx.result as unknown;
}
