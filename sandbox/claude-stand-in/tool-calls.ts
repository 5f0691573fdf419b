// The stand-in's scripted tool use: which `[[standin:tool=...]]` directive the next answer acts on. Each directive is
// one call, made in the order written, one call an answer; once every call has its tool_result, the answer quotes the
// results. The directives are read from the last user message with text, so they hold across tool_result turns.
import type { MessageRequest } from './prompt.ts';
import { lastUserTextIndex, type ToolDirective } from './reply-text.ts';
import { toolNames } from './tools.ts';

/** A tool's answer, as the conversation sent it back. */
export interface ToolResult {
  name: string;
  /** The tool_result's `content` as sent (a string or a list of blocks), `""` when it had none. */
  content: unknown;
  isError: boolean;
}

export type ToolStep =
  | { kind: 'none' }
  | { kind: 'call'; call: ToolDirective }
  | { kind: 'refused'; name: string; reason: string }
  | { kind: 'results'; results: ToolResult[] };

interface Call {
  id: string;
  name: string;
}

/** The tool calls made since the directives' message, and the results sent back for them. */
function callsSince(request: MessageRequest, start: number): { calls: Call[]; results: Map<string, { content: unknown; isError: boolean }> } {
  const calls: Call[] = [];
  const results = new Map<string, { content: unknown; isError: boolean }>();
  for (const message of request.messages.slice(start + 1)) {
    for (const { type, body } of message.blocks) {
      if (type === 'tool_use' && message.role === 'assistant') calls.push({ id: String(body.id), name: String(body.name) });
      if (type === 'tool_result') results.set(String(body.tool_use_id), { content: body.content ?? '', isError: body.is_error === true });
    }
  }
  return { calls, results };
}

/** What the next answer does about the directives: nothing, call the next tool, say it cannot, or quote the results. */
export function nextToolStep(request: MessageRequest, directives: readonly ToolDirective[]): ToolStep {
  if (directives.length === 0) return { kind: 'none' };
  const { calls, results } = callsSince(request, lastUserTextIndex(request.messages));
  const next = directives[calls.length];
  if (next === undefined) {
    return { kind: 'results', results: calls.map((call) => ({ name: call.name, ...(results.get(call.id) ?? { content: '', isError: false }) })) };
  }
  if (request.toolChoice.type === 'none') return { kind: 'refused', name: next.name, reason: 'tool_choice is none' };
  if (!toolNames(request.tools).includes(next.name)) return { kind: 'refused', name: next.name, reason: 'it is not among the tools of this request' };
  return { kind: 'call', call: next };
}

/** The sentences an answer says about a step, after the quoted question. */
export function toolNotes(step: ToolStep): string[] {
  switch (step.kind) {
    case 'refused':
      return [`I cannot call the tool ${step.name}: ${step.reason}.`];
    case 'results':
      return step.results.map((result) => `Tool ${result.name} ${result.isError ? 'failed' : 'returned'}: ${JSON.stringify(result.content)}`);
    default:
      return [];
  }
}
