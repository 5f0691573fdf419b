// React bindings for the stores: a provider holding one ChatClient, and hooks that read its stores with
// useSyncExternalStore. No logic lives here: it is in the stores (chat-client.ts and the *-store.ts files), which run
// and are tested without React. React is a peer: the app's own copy is the one used.
import { createContext, createElement, useContext, useMemo, useState, useSyncExternalStore, type ReactElement, type ReactNode } from 'react';
import type { DailyUsage, Message, Turn } from '../kit/index.ts';
import { ChatClient, type ChatClientOptions, type ChatConnection } from './chat-client.ts';
import type { ConversationSnapshot, SendOptions } from './conversation-store.ts';
import type { ConversationsSnapshot, ConversationsStore } from './conversations-store.ts';
import type { UsageSnapshot } from './usage-store.ts';

const ChatContext = createContext<ChatClient | null>(null);

/** A ChatClient, or what to build one from: the kit's ChatApi and RealtimeClient, or an endpoint and a token source. */
export type ChatProviderProps = { children?: ReactNode } & ({ client: ChatClient } | ChatClientOptions | (ChatConnection & Omit<ChatClientOptions, 'api' | 'realtime'>));

function clientOf(props: ChatProviderProps): ChatClient {
  if ('client' in props) return props.client;
  if ('api' in props) return new ChatClient(props);
  return ChatClient.connect(props, props);
}

/** Gives the hooks below it their ChatClient. Built once from the first props; give the provider a `key` to start over. */
export function ChatProvider(props: ChatProviderProps): ReactElement {
  const [built] = useState(() => clientOf(props));
  return createElement(ChatContext.Provider, { value: 'client' in props ? props.client : built }, props.children);
}

export function useChatClient(): ChatClient {
  const client = useContext(ChatContext);
  if (!client) throw new Error('The chat hooks need a <ChatProvider> above them (clients/react/hooks.ts).');
  return client;
}

export type ConversationsView = ConversationsSnapshot & Pick<ConversationsStore, 'refresh' | 'loadMore' | 'create' | 'dismissError'>;

/** The user's conversations, newest first: read when first used; loadMore() for the next page, create() for a new one. */
export function useConversations(): ConversationsView {
  const store = useChatClient().conversations;
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return useMemo(() => ({ ...snapshot, refresh: store.refresh, loadMore: store.loadMore, create: store.create, dismissError: store.dismissError }), [snapshot, store]);
}

export type ConversationView = Omit<ConversationSnapshot, 'conversationId'> & {
  conversationId: string | null;
  /** Today's token usage and quota, read again when a reply ends or a turn is refused with QuotaExceeded. */
  usage: DailyUsage | null;
  send: (content: string, options?: SendOptions) => Promise<Turn | null>;
  stop: () => Promise<void>;
  regenerate: () => Promise<Message | null>;
  loadOlder: () => Promise<void>;
  dismissError: () => void;
};

const NO_CONVERSATION: ConversationSnapshot = {
  conversationId: '', status: 'idle', messages: [], reply: null, replying: false, outgoing: null, regenerating: false, stopping: false,
  hasOlder: false, loadingOlder: false, connection: 'connected', error: null,
};
const none = { subscribe: () => () => undefined, getSnapshot: () => NO_CONVERSATION };
const nothing = { send: () => Promise.resolve(null), stop: () => Promise.resolve(), regenerate: () => Promise.resolve(null), loadOlder: () => Promise.resolve(), dismissError: () => undefined };

/**
 * One conversation, open while a component uses it: its messages with the reply being written as it lands, and the
 * actions on it. Errors are in `error`, with AppSync's errorType; the actions never reject. Null: no conversation.
 */
export function useConversation(conversationId: string | null): ConversationView {
  const client = useChatClient();
  const store = useMemo(() => (conversationId === null ? null : client.conversation(conversationId)), [client, conversationId]);
  const source = store ?? none;
  const snapshot = useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot);
  const { usage } = useSyncExternalStore(client.usage.subscribe, client.usage.getSnapshot, client.usage.getSnapshot);
  return useMemo(() => {
    const actions = store ? { send: store.send, stop: store.stop, regenerate: store.regenerate, loadOlder: store.loadOlder, dismissError: store.dismissError } : nothing;
    return { ...snapshot, conversationId, usage, ...actions };
  }, [snapshot, usage, store, conversationId]);
}

/** Today's token usage and the daily quota. */
export function useUsage(): UsageSnapshot & { refresh: () => Promise<DailyUsage | null> } {
  const store = useChatClient().usage;
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return useMemo(() => ({ ...snapshot, refresh: store.refresh }), [snapshot, store]);
}
