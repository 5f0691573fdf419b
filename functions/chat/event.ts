// What the chat function is invoked with (by sendMessage and regenerateReply) and what it publishes.

/** The asynchronous invocation's payload. */
export interface ChatEvent {
  /** The Cognito sub of the conversation's owner. */
  owner: string;
  conversationId: string;
  /** The assistant message to write (a ULID). */
  replyId: string;
  /** The user message it answers. */
  userMessageId: string;
  /**
   * The token the user called sendMessage or regenerateReply with, for tools that call this API as the user
   * (functions/chat/tools/graphql.ts). Never logged and never written to a table.
   */
  userToken?: string;
  /** Set by submitToolResult and stopReply for a reply that awaited client tools: go on from its stored blocks. */
  resume?: boolean;
}

export class InvalidEventError extends Error {
  readonly errorType = 'InvalidEvent';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

export function parseChatEvent(value: unknown): ChatEvent {
  if (typeof value !== 'object' || value === null) throw new InvalidEventError('the event is not an object');
  const record = value as Record<string, unknown>;
  const field = (name: keyof ChatEvent): string => {
    const found = record[name];
    if (typeof found !== 'string' || found === '') throw new InvalidEventError(`the event has no ${name}`);
    return found;
  };
  const token = record['userToken'];
  if (token !== undefined && (typeof token !== 'string' || token === '')) throw new InvalidEventError('the event has a userToken that is not a string');
  return {
    owner: field('owner'), conversationId: field('conversationId'), replyId: field('replyId'), userMessageId: field('userMessageId'),
    ...(token === undefined ? {} : { userToken: token }),
    ...(record['resume'] === true ? { resume: true } : {}),
  };
}

// The schema's own types (npm run codegen): a schema change the function does not follow fails the type check.
export type { Citation, ContentBlock, ContentBlockInput, MessageStatus, TokenUsage, ToolUseStatus } from '../../resolvers/schema-types.ts';
import type { Citation, ContentBlockInput, MessageStatus, TokenUsage } from '../../resolvers/schema-types.ts';

export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };

/** `PublishReplyEventInput` of schema.graphql, less the fields every event of a reply shares. */
export type ReplyEventBody =
  | { type: 'DELTA' | 'THINKING_DELTA'; index: number; text: string }
  | { type: 'TOOL_USE' | 'TOOL_RESULT'; block: ContentBlockInput }
  | { type: 'CITATION'; index: number; citation: Citation }
  | { type: 'TITLE'; title: string }
  | { type: 'DONE' | 'ERROR'; status: MessageStatus; stopReason: string | null; error: string | null; usage: TokenUsage };

export type ReplyEvent = ReplyEventBody & { conversationId: string; messageId: string; owner: string; seq: number };
