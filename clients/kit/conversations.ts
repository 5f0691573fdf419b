// The chat operations a front end calls (docs/architecture.md, "The API"), each one typed document from
// operations.ts over any GraphQL request function (graphql.ts, or a client's own: Amplify's, Apollo's).
import type { GraphqlRequest } from './graphql.ts';
import {
  CREATE_CONVERSATION, GET_MESSAGE, LIST_CONVERSATIONS, LIST_MESSAGES, REGENERATE_REPLY, SEND_MESSAGE, STOP_REPLY, SUBMIT_TOOL_RESULT, USAGE_QUERY,
  type ClientTool, type Conversation, type DailyUsage, type Message, type Page, type Turn,
} from './operations.ts';

export interface PageRequest { limit?: number; nextToken?: string | null }
export interface NewConversation { title?: string; systemPrompt?: string; model?: string; thinkingBudgetTokens?: number }

export class ChatApi {
  constructor(private readonly request: GraphqlRequest) {}

  /** The caller's conversations, most recently updated first, one page. */
  async listConversations(page: PageRequest = {}): Promise<Page<Conversation>> {
    return (await this.request<{ listConversations: Page<Conversation> }>(LIST_CONVERSATIONS, { limit: page.limit ?? null, nextToken: page.nextToken ?? null })).listConversations;
  }

  /** Every conversation, page after page, as long as the caller keeps reading. */
  async *conversations(pageSize = 20): AsyncGenerator<Conversation> {
    let nextToken: string | null = null;
    do {
      const page: Page<Conversation> = await this.listConversations({ limit: pageSize, nextToken });
      yield* page.items;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async createConversation(input: NewConversation = {}): Promise<Conversation> {
    return (await this.request<{ createConversation: Conversation }>(CREATE_CONVERSATION, { input })).createConversation;
  }

  /** A conversation's history, newest first, one page. */
  async listMessages(conversationId: string, page: PageRequest = {}): Promise<Page<Message>> {
    return (await this.request<{ listMessages: Page<Message> }>(LIST_MESSAGES, { conversationId, limit: page.limit ?? null, nextToken: page.nextToken ?? null })).listMessages;
  }

  /** One message: a reply as stored now (its content, blocks and seq), or null. */
  async getMessage(conversationId: string, id: string): Promise<Message | null> {
    return (await this.request<{ getMessage: Message | null }>(GET_MESSAGE, { conversationId, id })).getMessage;
  }

  /**
   * Starts a turn; sending the same clientMessageId again answers the same turn (a retry never makes two). With
   * `clientTools`, the model may call them: the reply then waits (AWAITING_TOOL_RESULT) for submitToolResult.
   */
  async sendMessage(conversationId: string, content: string, clientMessageId: string = crypto.randomUUID(), clientTools: readonly ClientTool[] = []): Promise<Turn> {
    const tools = clientTools.map((tool) => ({ ...tool, inputSchema: JSON.stringify(tool.inputSchema) }));
    const input = { conversationId, content, clientMessageId, ...(tools.length > 0 ? { clientTools: tools } : {}) };
    return (await this.request<{ sendMessage: Turn }>(SEND_MESSAGE, { input })).sendMessage;
  }

  /**
   * Answers a client tool's call (a TOOL_USE block AWAITING_RESULT) with what the tool gave, any JSON value; the reply
   * goes on once every call it awaits is answered. Sending the same answer again is safe.
   */
  async submitToolResult(reply: Pick<Message, 'conversationId' | 'id'>, toolUseId: string, output: unknown, isError = false): Promise<Message> {
    const input = { conversationId: reply.conversationId, messageId: reply.id, toolUseId, output: JSON.stringify(output ?? null), isError };
    return (await this.request<{ submitToolResult: Message }>(SUBMIT_TOOL_RESULT, { input })).submitToolResult;
  }

  /** Asks the reply in flight to stop; it ends STOPPED with its text kept, at the chat function's next checkpoint. */
  async stopReply(conversationId: string): Promise<Message> {
    return (await this.request<{ stopReply: Message }>(STOP_REPLY, { conversationId })).stopReply;
  }

  /** A new reply to the last user message, in place of the last reply. */
  async regenerateReply(conversationId: string): Promise<Message> {
    return (await this.request<{ regenerateReply: Message }>(REGENERATE_REPLY, { conversationId })).regenerateReply;
  }

  /** Token usage for a UTC day (today by default) and the daily quota. */
  async usage(date?: string): Promise<DailyUsage> {
    return (await this.request<{ usage: DailyUsage }>(USAGE_QUERY, { date: date ?? null })).usage;
  }
}
