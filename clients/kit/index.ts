// The client kit: the reply contract (reply.ts), AppSync's real-time protocol (realtime.ts), and the chat operations
// (operations.ts, conversations.ts) for any front end, framework-free: browsers and Node 20+ (ESM, no DOM types).
export { BlockList, TEXT_SEPARATOR, textOf, type BlockInput, type CitationInput } from './blocks.ts';
export { ChatApi, type NewConversation, type PageRequest } from './conversations.ts';
export { ConversationFeed, type ConversationFeedOptions } from './feed.ts';
export { graphqlClient, GraphqlError, type GraphqlBody, type GraphqlClient, type GraphqlClientOptions, type GraphqlRequest, type GraphqlResponse, type TokenSource } from './graphql.ts';
export * from './operations.ts';
export { base64UrlJson, realtimeUrlFor } from './protocol.ts';
export {
  RealtimeClient, RealtimeError,
  type ConnectionStatus, type ExecutionPayload, type RealtimeClientOptions, type Subscription, type SubscriptionRequest, type SubscriptionSink, type WebSocketConstructor, type WebSocketLike,
} from './realtime.ts';
export { isFinalStatus, ReplyAssembler, type ReceiveResult, type ReplyAssemblerOptions, type ReplyEventInput, type ReplySnapshot, type ReplyState } from './reply.ts';
