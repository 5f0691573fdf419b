// The client kit: the reply contract (reply.ts), AppSync's real-time protocol (realtime.ts), and the chat operations
// (operations.ts: typed documents generated from documents/*.graphql; conversations.ts) for any front end,
// framework-free: browsers and Node 20+ (ESM, no DOM types). auth.ts turns Amplify's or amazon-cognito-identity-js's
// sign-in into the token source the clients take, and amplify.ts brands the documents for Amplify's client.graphql; attachments.ts uploads a file to S3; markdown.ts reads a reply's
// Markdown into plain data a front end builds its elements from.
export { amplifyMutation, amplifyQuery, amplifySubscription, type AmplifyMutation, type AmplifyQuery, type AmplifySubscription } from './amplify.ts';
export { AttachmentUploadError, type NamedBlob } from './attachments.ts';
export { amplifyTokenSource, cognitoUserTokenSource, TokenSourceError, type CognitoSessionLike, type CognitoUserLike, type FetchAuthSession } from './auth.ts';
export { BlockList, TEXT_SEPARATOR, textOf, type BlockInput, type CitationInput } from './blocks.ts';
export { ChatApi, type ChatApiOptions, type NewConversation, type PageRequest, type SendOptions } from './conversations.ts';
export { ConversationFeed, type ConversationFeedOptions } from './feed.ts';
export {
  fetchOf, graphqlClient, GraphqlError, printDocument,
  type GraphqlBody, type GraphqlClient, type GraphqlClientOptions, type GraphqlRequest, type GraphqlResponse, type TokenSource, type VariablesArgument,
} from './graphql.ts';
export { parseInline, parseMarkdown, safeUrl, type MarkdownBlock, type MarkdownInline } from './markdown.ts';
export * from './operations.ts';
export { base64UrlJson, realtimeUrlFor } from './protocol.ts';
export {
  RealtimeClient, RealtimeError,
  type ConnectionStatus, type ExecutionPayload, type RealtimeClientOptions, type Subscription, type SubscriptionRequest, type SubscriptionSink, type WebSocketConstructor, type WebSocketLike,
} from './realtime.ts';
export { isFinalStatus, ReplyAssembler, type ReceiveResult, type ReplyAssemblerOptions, type ReplyEventInput, type ReplySnapshot, type ReplyState } from './reply.ts';
