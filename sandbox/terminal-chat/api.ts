// The chat operations the terminal uses (docs/architecture.md, "The API"), over HTTP with the user's access token.
import { randomUUID } from 'node:crypto';
import { GraphqlError, reaching } from './failure.ts';

export interface Conversation { id: string; title: string | null; updatedAt: string; messageCount: number; activeReplyId: string | null }
export interface Message { id: string; content: string; status: string; seq: number; error: string | null }
export interface Turn { userMessage: { id: string }; reply: Message }

const CONVERSATION = 'id title updatedAt messageCount activeReplyId';
const MESSAGE = 'id content status seq error';

export class ChatApi {
  constructor(private readonly url: string, private readonly token: () => Promise<string>) {}

  async request<T>(query: string, variables: Record<string, unknown>, field: string): Promise<T> {
    const authorization = await this.token();
    const response = await reaching(this.url, () => fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query, variables }),
    }));
    const body = (await response.json().catch(() => ({}))) as { data?: Record<string, unknown> | null; errors?: { message?: string; errorType?: string }[] };
    const [first] = body.errors ?? [];
    if (first) throw new GraphqlError(first.message ?? 'the request failed', first.errorType ?? '');
    const value = body.data?.[field];
    if (value === undefined) throw new GraphqlError(`HTTP ${response.status} without data`, response.status === 401 ? 'UnauthorizedException' : '');
    return value as T;
  }

  async listConversations(limit = 20): Promise<Conversation[]> {
    const page = await this.request<{ items: Conversation[] }>(`query L($limit: Int) { listConversations(limit: $limit) { items { ${CONVERSATION} } } }`, { limit }, 'listConversations');
    return page.items;
  }

  createConversation(): Promise<Conversation> {
    return this.request(`mutation C { createConversation(input: {}) { ${CONVERSATION} } }`, {}, 'createConversation');
  }

  sendMessage(conversationId: string, content: string): Promise<Turn> {
    const input = { conversationId, content, clientMessageId: randomUUID() };
    return this.request(`mutation S($input: SendMessageInput!) { sendMessage(input: $input) { userMessage { id } reply { ${MESSAGE} } } }`, { input }, 'sendMessage');
  }

  stopReply(conversationId: string): Promise<Message> {
    return this.request(`mutation T($c: ID!) { stopReply(conversationId: $c) { ${MESSAGE} } }`, { c: conversationId }, 'stopReply');
  }

  getMessage(conversationId: string, id: string): Promise<Message | null> {
    return this.request(`query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) { ${MESSAGE} } }`, { c: conversationId, id }, 'getMessage');
  }
}
