// The framework-free part: stores with subscribe/getSnapshot (as React's useSyncExternalStore reads them, and any other
// view layer can), on the client kit (clients/kit). Import this file where React is not wanted.
export { ChatClient, type ChatClientOptions, type ChatConnection } from './chat-client.ts';
export { ConversationStore, type ConversationSnapshot, type ConversationStoreOptions, type OutgoingMessage, type SendOptions } from './conversation-store.ts';
export { ConversationsStore, type ConversationsSnapshot, type ConversationsStoreOptions } from './conversations-store.ts';
export { ChatError, chatError, type ChatAction } from './errors.ts';
export { SnapshotStore, type Listener } from './store.ts';
export { UsageStore, type UsageSnapshot } from './usage-store.ts';
