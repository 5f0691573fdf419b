// React hooks for the chat API on the client kit (clients/kit). The logic is in the stores (stores.ts), which run
// without React; hooks.ts binds them to React, a peer dependency (the app's own copy is used).
export * from './stores.ts';
export { ChatProvider, useChatClient, useConversation, useConversations, useUsage, type ChatProviderProps, type ConversationsView, type ConversationView } from './hooks.ts';
