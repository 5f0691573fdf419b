// What the sandbox's own clients (the playground, the terminal chat) select from the API, typed from schema.graphql's
// generated types (`npm run codegen`): a schema change that breaks them fails the type check.
import type * as Schema from '../resolvers/schema-types.ts';

/** The fields `K` of `T` as a selection returns them: each present, null where the schema allows it. */
export type Selected<T, K extends keyof T> = { [P in K]-?: Exclude<T[P], undefined> };

export type MessageStatus = Schema.MessageStatus;
export type ReplyEvent = Selected<Schema.ReplyEvent, 'conversationId' | 'messageId' | 'seq' | 'type' | 'text' | 'title' | 'status' | 'stopReason' | 'error'>;
export type Message = Selected<Schema.Message, 'id' | 'role' | 'content' | 'status' | 'seq' | 'error' | 'stopReason'>;
export type Conversation = Selected<Schema.Conversation, 'id' | 'title' | 'updatedAt' | 'activeReplyId'>;
