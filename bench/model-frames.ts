// Pure pieces the content-block benchmarks share, kept apart from the sandbox so they can be unit-tested: reading the
// stand-in's stream frames and request bodies (tool calls, tool results), pairing a tool_use's end with the request
// that brings its result back, and the per-1,000-token figures and their ratio.

/** One server-sent event as the stand-in writes it: `event: <type>\ndata: <json>\n\n`. */
export interface Frame { event: string; data: Record<string, unknown> }

/** The frame of a chunk written to the response, when it is one whole server-sent event; else undefined. */
export function frameOf(chunk: unknown): Frame | undefined {
  const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
  if (!text.startsWith('event: ')) return undefined;
  const [head, data] = text.split('\n');
  if (head === undefined || data === undefined || !data.startsWith('data: ')) return undefined;
  try {
    return { event: head.slice('event: '.length), data: JSON.parse(data.slice('data: '.length)) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** The tool_use_id of every tool_result block in a Messages API request body (JSON); none when it has none. */
export function toolResultIdsOf(body: string): string[] {
  if (!body.includes('"tool_result"')) return [];
  let request: { messages?: { content?: unknown }[] };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const message of request.messages ?? []) {
    if (!Array.isArray(message.content)) continue;
    for (const block of message.content as { type?: unknown; tool_use_id?: unknown }[]) {
      if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') ids.push(block.tool_use_id);
    }
  }
  return ids;
}

/** A tool_use block the stand-in streamed: its id and when its content_block_stop was written. */
export interface StreamedToolUse { id: string; name: string; stoppedAt: number | undefined }

/** A model request as the stand-in saw it: when it arrived, when its body was whole, the tool results it carried. */
export interface SeenRequest { arrivedAt: number; receivedAt: number | undefined; toolResultIds: string[]; toolUses: StreamedToolUse[] }

export interface ToolGap {
  id: string;
  name: string;
  /** tool_use's content_block_stop written -> the request carrying its tool_result whole at the stand-in. */
  gapMs: number;
}

/**
 * For each tool_use the stand-in finished, the time until the first later request whose body holds its tool_result
 * was whole at the stand-in. A call whose result never came (or whose stop was not written) is left out.
 */
export function toolGaps(requests: readonly SeenRequest[]): ToolGap[] {
  const gaps: ToolGap[] = [];
  for (const request of requests) {
    for (const use of request.toolUses) {
      if (use.stoppedAt === undefined) continue;
      const stoppedAt = use.stoppedAt;
      const next = requests.find((later) => later.receivedAt !== undefined && later.receivedAt >= stoppedAt && later.toolResultIds.includes(use.id));
      if (next?.receivedAt !== undefined) gaps.push({ id: use.id, name: use.name, gapMs: next.receivedAt - stoppedAt });
    }
  }
  return gaps;
}

/** `count` per 1,000 of `tokens`; NaN when there were no tokens. */
export function perThousand(count: number, tokens: number): number {
  return tokens > 0 ? (count * 1000) / tokens : Number.NaN;
}

/** `value` over `baseline`; NaN when the baseline is not a positive number. */
export function ratioOf(value: number, baseline: number): number {
  return baseline > 0 ? value / baseline : Number.NaN;
}
