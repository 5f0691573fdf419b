// The stores of one signed-in user, wired together: the conversation list, today's usage, and one store per
// conversation opened, which moves its conversation up the list when a message is sent, renames it on a TITLE event,
// and has the usage read again when a reply ends or a turn is refused for the quota.
import { ChatApi, graphqlClient, RealtimeClient, type ConversationFeedOptions, type TokenSource, type WebSocketConstructor } from '../kit/index.ts';
import { ConversationStore } from './conversation-store.ts';
import { ConversationsStore } from './conversations-store.ts';
import { UsageStore } from './usage-store.ts';

export interface ChatClientOptions {
  api: ChatApi;
  realtime: RealtimeClient;
  /** Conversations a page of the list (default 20). */
  conversationPageSize?: number;
  /** Messages a page of a conversation's history (default 50). */
  messagePageSize?: number;
  assembler?: ConversationFeedOptions['assembler'];
}

/** Where the API is and how to get the current token: what ChatClient.connect builds the kit's clients from. */
export interface ChatConnection {
  /** amplify_outputs.json's `data.url`. */
  graphqlUrl: string;
  /** Default: derived from graphqlUrl as AppSync does (the kit's realtimeUrlFor). */
  realtimeUrl?: string;
  /** Called for every request and connection: return the current (refreshed) Cognito access token. */
  token: TokenSource;
  /** Default: the global WebSocket (browsers, Node 22). */
  WebSocket?: WebSocketConstructor;
  fetch?: typeof fetch;
}

export class ChatClient {
  readonly api: ChatApi;
  readonly realtime: RealtimeClient;
  readonly conversations: ConversationsStore;
  readonly usage: UsageStore;
  private readonly opened = new Map<string, ConversationStore>();

  constructor(private readonly options: ChatClientOptions) {
    this.api = options.api;
    this.realtime = options.realtime;
    this.conversations = new ConversationsStore({ api: options.api, ...(options.conversationPageSize ? { pageSize: options.conversationPageSize } : {}) });
    this.usage = new UsageStore(options.api);
  }

  /** The kit's ChatApi (over fetch) and RealtimeClient for an endpoint and a token source, and the stores on them. */
  static connect(connection: ChatConnection, options: Omit<ChatClientOptions, 'api' | 'realtime'> = {}): ChatClient {
    const { graphqlUrl, realtimeUrl, token, WebSocket, fetch } = connection;
    const api = new ChatApi(graphqlClient({ url: graphqlUrl, token, ...(fetch ? { fetch } : {}) }).request);
    const realtime = new RealtimeClient({ graphqlUrl, token, ...(realtimeUrl ? { realtimeUrl } : {}), ...(WebSocket ? { WebSocket } : {}) });
    return new ChatClient({ ...options, api, realtime });
  }

  /** The store of one conversation: the same one for the same id, opened while it has listeners (or by open()). */
  conversation(conversationId: string): ConversationStore {
    let store = this.opened.get(conversationId);
    if (!store) {
      store = new ConversationStore({
        api: this.api,
        realtime: this.realtime,
        conversationId,
        ...(this.options.messagePageSize ? { pageSize: this.options.messagePageSize } : {}),
        ...(this.options.assembler ? { assembler: this.options.assembler } : {}),
        onTitle: (title) => this.conversations.changed(conversationId, { title }, false),
        onSent: (turn) => this.conversations.changed(conversationId, { updatedAt: turn.userMessage.createdAt, activeReplyId: turn.reply.id }, true),
        onReplyEnd: () => {
          this.conversations.changed(conversationId, { activeReplyId: null }, false);
          this.usage.changed();
        },
        onFailure: (error) => {
          if (error.errorType === 'QuotaExceeded') this.usage.changed();
        },
      });
      this.opened.set(conversationId, store);
    }
    return store;
  }

  /** Closes every conversation store (their subscriptions end; the real-time socket closes with the last one). */
  close(): void {
    for (const store of this.opened.values()) store.close();
  }
}
