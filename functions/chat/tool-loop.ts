// The model's tool loop of one reply (docs/architecture.md, "Content blocks"): model calls, server tools run between
// them, client tools pausing the reply, every event through the transcript. writeReply (reply.ts) sets it up and ends
// the reply from what it returns.
import type { MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { Coalescer } from './coalescer.ts';
import type { ReplyEventBody, TokenUsage } from './event.ts';
import { ModelStreamError, streamReply, type ClaudeClient, type StreamOutcome, type ToolCall } from './model.ts';
import type { ReplyRequest } from './prompt.ts';
import type { RetryPolicy } from './retry.ts';
import type { ToolContext, ToolDefinition, ToolRunner } from './tools/types.ts';
import type { StoredBlock, Transcript } from './transcript.ts';

/** Below this many output tokens left of the turn's reservation, another model call is not worth making. */
const MIN_CALL_OUTPUT_TOKENS = 256;

/** The Messages API's floor for extended thinking's budget_tokens, which must also stay below max_tokens. */
const MIN_THINKING_BUDGET = 1024;

/**
 * The thinking parameter of a call that may write `maxTokens`: the conversation's budget, lowered to fit below
 * max_tokens; undefined when thinking is off or no budget of at least 1024 fits.
 */
export function thinkingFor(budget: number | undefined, maxTokens: number): { type: 'enabled'; budget_tokens: number } | undefined {
  if (budget === undefined) return undefined;
  const fitting = Math.min(budget, maxTokens - 1);
  return fitting >= MIN_THINKING_BUDGET ? { type: 'enabled', budget_tokens: fitting } : undefined;
}

/** The blocks a tool round sends back: one tool_result per call, in the order the model made them. */
function toolResultTurn(results: readonly { call: ToolCall; block: StoredBlock }[]): MessageParam {
  const content: ToolResultBlockParam[] = results.map(({ call, block }) => ({
    type: 'tool_result', tool_use_id: call.id, content: block.output ?? 'null', ...(block.isError ? { is_error: true } : {}),
  }));
  // The growing prefix of the loop is cached: the next call reads it instead of paying for it again ("Prompt caching").
  const last = content.at(-1);
  if (last) last.cache_control = { type: 'ephemeral' };
  return { role: 'user', content };
}


/** A client tool as the Messages API is told about it. */
export function clientToolDefinition(tool: { name: string; description: string; inputSchema: string }): ToolDefinition {
  return { name: tool.name, description: tool.description, input_schema: JSON.parse(tool.inputSchema) as ToolDefinition['input_schema'] };
}

/**
 * The results submitToolResult kept for the client tools' calls the reply awaited, as TOOL_RESULT blocks and events
 * (resolvers/steps/storeToolResult.ts). A call without one (it cannot happen: the reply resumes only once all are
 * answered) gets an error result, so the turn the model reads stays whole.
 */
export function answerClientCalls(transcript: Transcript, results: Record<string, { output: string; isError: boolean }>, publish: (body: ReplyEventBody, seq: number) => void): void {
  const awaited = transcript.blocks.filter((block) => block.type === 'TOOL_USE' && block.status === 'AWAITING_RESULT').sort((a, b) => a.index - b.index);
  for (const call of awaited) {
    const id = call.toolUseId ?? '';
    const result = results[id] ?? { output: JSON.stringify({ error: 'No result was submitted for this call.' }), isError: true };
    const block: StoredBlock = { index: transcript.nextIndex, type: 'TOOL_RESULT', toolUseId: id, output: result.output, isError: result.isError };
    transcript.setToolStatus(id, result.isError ? 'ERROR' : 'COMPLETE');
    publish({ type: 'TOOL_RESULT', block }, transcript.addBlock(block));
  }
}

export interface LoopOptions {
  tools: ToolRunner | undefined;
  /** The client tools of the reply (sendMessage's clientTools): a call to one pauses the reply. */
  clientTools: ToolDefinition[];
  /** Rounds of tool calls the reply made before this invocation (a resumed reply). */
  roundsDone: number;
  /** The most rounds of tool calls; the call after the last round is made with tool_choice none. */
  maxRounds: number;
  /** The output tokens the whole reply may use. */
  maxTokens: number;
  /** Extended thinking's budget per model call; undefined when the conversation has thinking off. */
  thinkingBudget: number | undefined;
  toolContext: ToolContext;
  transcript: Transcript;
  coalescer: Coalescer;
  publish: (body: ReplyEventBody, seq: number) => void;
  signal: AbortSignal;
  retryPolicy: RetryPolicy | undefined;
  onFirstOutput: () => void;
  onRetry: (attempt: number, delayMs: number, error: unknown) => void;
  /** Each model call's usage, as it ends (a failed call's comes with its ModelStreamError). */
  onCall: (usage: TokenUsage) => void;
  onToolRun: () => void;
}

/**
 * The model's tool loop: call the model; when it stops to use tools, run them (in parallel: the API allows several
 * calls in one turn), publish and record their results, and call it again with them. Every event goes through the
 * transcript, so a checkpoint at any moment holds every block finished so far. Ends when the model ends its turn,
 * a stop or the deadline aborts the signal, or the output tokens run out.
 */
/** How the loop ended: as the last model call did, or paused for client tools. */
export type LoopOutcome = Omit<StreamOutcome, 'usage'> & { paused?: boolean };

export async function toolLoop(client: ClaudeClient, request: ReplyRequest, options: LoopOptions): Promise<LoopOutcome> {
  const { transcript, coalescer, publish } = options;
  const definitions = [...(options.tools?.definitions ?? []), ...options.clientTools];
  const clientNames = new Set(options.clientTools.map((tool) => tool.name));
  const messages: MessageParam[] = [...request.messages];
  let outputUsed = 0;
  for (let round = options.roundsDone; ; round++) {
    // This call's block i is the reply's block offset + i: indices run on across the loop.
    const offset = transcript.nextIndex;
    const calls: { index: number; call: ToolCall; client: boolean }[] = [];
    const tools = definitions.length === 0 ? {} : { tools: definitions, tool_choice: round < options.maxRounds ? { type: 'auto' as const } : { type: 'none' as const } };
    const maxTokens = options.maxTokens - outputUsed;
    const thinking = thinkingFor(options.thinkingBudget, maxTokens);
    let result: StreamOutcome;
    try {
      result = await streamReply(client, { ...request, ...tools, ...(thinking ? { thinking } : {}), messages, max_tokens: maxTokens }, {
        signal: options.signal,
        ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
        onText: (index, text) => {
          options.onFirstOutput();
          coalescer.push(text, { index: offset + index, type: 'TEXT' });
        },
        onThinking: (index, text) => {
          options.onFirstOutput();
          coalescer.push(text, { index: offset + index, type: 'THINKING' });
        },
        onSignature: (index, signature) => {
          coalescer.flush();
          transcript.setSignature(offset + index, signature);
        },
        onCitation: (index, citation) => {
          coalescer.flush();
          publish({ type: 'CITATION', index: offset + index, citation }, transcript.addCitation(offset + index, citation));
        },
        onToolUse: (index, call) => {
          options.onFirstOutput();
          coalescer.flush();
          const client = clientNames.has(call.name);
          const block: StoredBlock = {
            index: offset + index, type: 'TOOL_USE', toolUseId: call.id, name: call.name, input: JSON.stringify(call.input), status: client ? 'AWAITING_RESULT' : 'RUNNING',
          };
          publish({ type: 'TOOL_USE', block }, transcript.addBlock(block));
          calls.push({ index: offset + index, call, client });
        },
        onRetry: options.onRetry,
      });
    } catch (error) {
      if (error instanceof ModelStreamError) options.onCall(error.usage);
      throw error;
    }
    options.onCall(result.usage);
    outputUsed += result.usage.outputTokens;
    const wantsTools = result.completed && result.stopReason === 'tool_use' && calls.length > 0;
    if (!wantsTools || options.signal.aborted) return result;
    coalescer.flush();
    const serverCalls = calls.filter((call) => !call.client);
    const outcomes = await Promise.all(serverCalls.map(({ call }) => {
      options.onToolRun();
      return options.tools ? options.tools.run(call, options.toolContext) : Promise.resolve({ output: { error: `There is no tool named ${call.name}.` }, isError: true });
    }));
    const results = serverCalls.map(({ call }, k) => {
      const outcome = outcomes[k] as (typeof outcomes)[number];
      const block: StoredBlock = { index: transcript.nextIndex, type: 'TOOL_RESULT', toolUseId: call.id, output: JSON.stringify(outcome.output), isError: outcome.isError };
      transcript.setToolStatus(call.id, outcome.isError ? 'ERROR' : 'COMPLETE');
      publish({ type: 'TOOL_RESULT', block }, transcript.addBlock(block));
      return { call, block };
    });
    // A stop during the tools keeps their results (finished blocks) and calls the model no more.
    if (options.signal.aborted) return { ...result, completed: false };
    // The front end runs its own tools: the reply waits for submitToolResult (its server results are kept).
    if (serverCalls.length < calls.length) return { ...result, paused: true };
    const left = options.maxTokens - outputUsed;
    // Thinking can't be turned off in the middle of a tool loop (the API refuses it): no budget left, no next call.
    if (left < MIN_CALL_OUTPUT_TOKENS || (thinking !== undefined && thinkingFor(options.thinkingBudget, left) === undefined)) return { ...result, stopReason: 'max_tokens' };
    // One breakpoint for the loop, on its newest round: the API takes 4 in all ("Prompt caching"), and the system
    // prompt, the previous turn and the message's files may hold the other three (prompt.ts).
    const turn = toolResultTurn(results);
    for (const earlier of messages) {
      if (earlier.role === 'user' && Array.isArray(earlier.content)) for (const block of earlier.content) if (block.type === 'tool_result') delete block.cache_control;
    }
    messages.push({ role: 'assistant', content: result.content }, turn);
  }
}

