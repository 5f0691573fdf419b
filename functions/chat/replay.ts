// A reply's stored blocks as the Messages API turns they came from: the assistant's blocks (thinking with its
// signature, text, tool calls) and the user turns of tool results between them. A reply that awaited client tools
// goes on from these (reply.ts); earlier turns of a conversation are replayed as their text only (history.ts).
import type { ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import type { StoredBlock } from './transcript.ts';

function paramOf(block: StoredBlock): ContentBlockParam | undefined {
  switch (block.type) {
    case 'TEXT':
      return block.text ? { type: 'text', text: block.text } : undefined;
    case 'THINKING':
      // Without its signature the API refuses a thinking block: one that never got it (cut short) is left out.
      return block.signature ? { type: 'thinking', thinking: block.text ?? '', signature: block.signature } : undefined;
    case 'TOOL_USE':
      return { type: 'tool_use', id: block.toolUseId ?? '', name: block.name ?? '', input: JSON.parse(block.input ?? '{}') as Record<string, unknown> };
    case 'TOOL_RESULT':
      return { type: 'tool_result', tool_use_id: block.toolUseId ?? '', content: block.output ?? 'null', ...(block.isError ? { is_error: true } : {}) };
    default:
      return undefined;
  }
}

/** The blocks in index order as alternating assistant and user (tool result) turns. */
export function replayTurns(blocks: readonly StoredBlock[]): MessageParam[] {
  const turns: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  for (const block of [...blocks].sort((a, b) => a.index - b.index)) {
    const param = paramOf(block);
    if (param === undefined) continue;
    const role = block.type === 'TOOL_RESULT' ? 'user' : 'assistant';
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(param);
    else turns.push({ role, content: [param] });
  }
  return turns;
}

/** The rounds of tool calls a reply has made: its assistant turns that call tools. */
export function roundsIn(blocks: readonly StoredBlock[]): number {
  return replayTurns(blocks).filter((turn) => turn.role === 'assistant' && (turn.content as ContentBlockParam[]).some((block) => block.type === 'tool_use')).length;
}
