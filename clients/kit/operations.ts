// Every operation the kit and the clients built on it send (docs/architecture.md, "The API"), as GraphQL documents,
// with the shapes they read back typed from schema.graphql's generated types (`npm run codegen`): a schema change
// that breaks a selection fails the type check, and test/unit/clients/kit/operations.test.ts validates each document.
import type * as Schema from '../../resolvers/schema-types.ts';

export type { ContentBlockType, MessageRole, MessageStatus, ReplyEventType, ToolUseStatus } from '../../resolvers/schema-types.ts';

/** The fields `K` of `T` as a selection returns them: each present, null where the schema allows it. */
export type Selected<T, K extends keyof T> = { [P in K]-?: Exclude<T[P], undefined> };

export type Citation = Selected<Schema.Citation, 'type' | 'citedText' | 'documentIndex' | 'documentTitle' | 'start' | 'end'>;
export type Block = Selected<Schema.ContentBlock, 'index' | 'type' | 'text' | 'toolUseId' | 'name' | 'input' | 'status' | 'output' | 'isError'> & { citations: Citation[] | null };
export type Usage = Selected<Schema.TokenUsage, 'inputTokens' | 'outputTokens' | 'cacheReadInputTokens' | 'cacheCreationInputTokens'>;
export type Message = Selected<Schema.Message, 'id' | 'conversationId' | 'role' | 'content' | 'status' | 'seq' | 'createdAt' | 'updatedAt' | 'stopReason' | 'error' | 'replyTo'>
  & { blocks: Block[]; usage: Usage | null };
export type Conversation = Selected<Schema.Conversation, 'id' | 'title' | 'model' | 'thinkingBudgetTokens' | 'createdAt' | 'updatedAt' | 'messageCount' | 'activeReplyId'>;
export type ReplyEvent = Selected<Schema.ReplyEvent, 'conversationId' | 'messageId' | 'seq' | 'type' | 'index' | 'text' | 'title' | 'status' | 'stopReason' | 'error'>
  & { block: Block | null; citation: Citation | null; usage: Usage | null };
export type DailyUsage = Selected<Schema.DailyUsage, 'date' | 'inputTokens' | 'outputTokens' | 'cacheReadInputTokens' | 'cacheCreationInputTokens' | 'quota' | 'remaining'>;
export interface Page<T> { items: T[]; nextToken: string | null }
export interface Turn { userMessage: Message; reply: Message }
/** A tool the front end runs itself (sendMessage's clientTools): its input schema as a JSON Schema object. */
export interface ClientTool { name: string; description: string; inputSchema: Record<string, unknown> }

const CITATION = 'type citedText documentIndex documentTitle start end';
const USAGE = 'inputTokens outputTokens cacheReadInputTokens cacheCreationInputTokens';
const BLOCK = `index type text citations { ${CITATION} } toolUseId name input status output isError`;
const MESSAGE = `id conversationId role content status seq createdAt updatedAt stopReason error replyTo usage { ${USAGE} } blocks { ${BLOCK} }`;
const CONVERSATION = 'id title model thinkingBudgetTokens createdAt updatedAt messageCount activeReplyId';

export const LIST_CONVERSATIONS = `query ListConversations($limit: Int, $nextToken: String) {
  listConversations(limit: $limit, nextToken: $nextToken) { items { ${CONVERSATION} } nextToken }
}`;

export const CREATE_CONVERSATION = `mutation CreateConversation($input: CreateConversationInput) {
  createConversation(input: $input) { ${CONVERSATION} }
}`;

export const LIST_MESSAGES = `query ListMessages($conversationId: ID!, $limit: Int, $nextToken: String) {
  listMessages(conversationId: $conversationId, limit: $limit, nextToken: $nextToken) { items { ${MESSAGE} } nextToken }
}`;

export const GET_MESSAGE = `query GetMessage($conversationId: ID!, $id: ID!) {
  getMessage(conversationId: $conversationId, id: $id) { ${MESSAGE} }
}`;

export const SEND_MESSAGE = `mutation SendMessage($input: SendMessageInput!) {
  sendMessage(input: $input) {
    userMessage { ${MESSAGE} }
    reply { ${MESSAGE} }
  }
}`;

export const STOP_REPLY = `mutation StopReply($conversationId: ID!) {
  stopReply(conversationId: $conversationId) { ${MESSAGE} }
}`;

export const REGENERATE_REPLY = `mutation RegenerateReply($conversationId: ID!) {
  regenerateReply(conversationId: $conversationId) { ${MESSAGE} }
}`;

export const SUBMIT_TOOL_RESULT = `mutation SubmitToolResult($input: SubmitToolResultInput!) {
  submitToolResult(input: $input) { ${MESSAGE} }
}`;

export const USAGE_QUERY = `query Usage($date: AWSDate) {
  usage(date: $date) { date ${USAGE} quota remaining }
}`;

export const ON_REPLY_EVENT = `subscription OnReplyEvent($conversationId: ID!) {
  onReplyEvent(conversationId: $conversationId) {
    conversationId messageId seq type index text title status stopReason error
    block { ${BLOCK} }
    citation { ${CITATION} }
    usage { ${USAGE} }
  }
}`;

/** Every document above, by operation name. */
export const OPERATIONS = {
  ListConversations: LIST_CONVERSATIONS,
  CreateConversation: CREATE_CONVERSATION,
  ListMessages: LIST_MESSAGES,
  GetMessage: GET_MESSAGE,
  SendMessage: SEND_MESSAGE,
  StopReply: STOP_REPLY,
  RegenerateReply: REGENERATE_REPLY,
  SubmitToolResult: SUBMIT_TOOL_RESULT,
  Usage: USAGE_QUERY,
  OnReplyEvent: ON_REPLY_EVENT,
} as const;
