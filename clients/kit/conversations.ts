// The chat operations a front end calls (docs/architecture.md, "The API"), each one typed document from
// operations.ts over any GraphQL request function (graphql.ts, or one over a client's own: Amplify's, Apollo's).
import type { GraphqlRequest } from './graphql.ts';
import {
  CreateConversationDocument, GetMessageDocument, ListConversationsDocument, ListMessagesDocument, RegenerateReplyDocument, SendMessageDocument,
  StopReplyDocument, SubmitToolResultDocument, UsageDocument,
  type ClientTool, type Conversation, type DailyUsage, type Message, type Page, type Turn,
} from './operations.ts';

export interface PageRequest { limit?: number; nextToken?: string | null }
export interface NewConversation { title?: string; systemPrompt?: string; model?: string; thinkingBudgetTokens?: number }

export class ChatApi {
  constructor(private readonly request: GraphqlRequest) {}

  /** The caller's conversations, most recently updated first, one page. */
  async listConversations(page: PageRequest = {}): Promise<Page<Conversation>> {
    return (await this.request(ListConversationsDocument, { limit: page.limit ?? null, nextToken: page.nextToken ?? null })).listConversations;
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
    return (await this.request(CreateConversationDocument, { input })).createConversation;
  }

  /** A conversation's history, newest first, one page. */
  async listMessages(conversationId: string, page: PageRequest = {}): Promise<Page<Message>> {
    return (await this.request(ListMessagesDocument, { conversationId, limit: page.limit ?? null, nextToken: page.nextToken ?? null })).listMessages;
  }

  /** One message: a reply as stored now (its content, blocks and seq), or null. */
  async getMessage(conversationId: string, id: string): Promise<Message | null> {
    return (await this.request(GetMessageDocument, { conversationId, id })).getMessage;
  }

  /**
   * Starts a turn; sending the same clientMessageId again answers the same turn (a retry never makes two). With
   * `clientTools`, the model may call them: the reply then waits (AWAITING_TOOL_RESULT) for submitToolResult.
   */
  async sendMessage(conversationId: string, content: string, clientMessageId: string = crypto.randomUUID(), clientTools: readonly ClientTool[] = []): Promise<Turn> {
    const tools = clientTools.map((tool) => ({ ...tool, inputSchema: JSON.stringify(tool.inputSchema) }));
    const input = { conversationId, content, clientMessageId, ...(tools.length > 0 ? { clientTools: tools } : {}) };
    return (await this.request(SendMessageDocument, { input })).sendMessage;
  }

  /**
   * Answers a client tool's call (a TOOL_USE block AWAITING_RESULT) with what the tool gave, any JSON value; the reply
   * goes on once every call it awaits is answered. Sending the same answer again is safe.
   */
  async submitToolResult(reply: Pick<Message, 'conversationId' | 'id'>, toolUseId: string, output: unknown, isError = false): Promise<Message> {
    const input = { conversationId: reply.conversationId, messageId: reply.id, toolUseId, output: JSON.stringify(output ?? null), isError };
    return (await this.request(SubmitToolResultDocument, { input })).submitToolResult;
  }

  /** Asks the reply in flight to stop; it ends STOPPED with its text kept, at the chat function's next checkpoint. */
  async stopReply(conversationId: string): Promise<Message> {
    return (await this.request(StopReplyDocument, { conversationId })).stopReply;
  }

  /** A new reply to the last user message, in place of the last reply. */
  async regenerateReply(conversationId: string): Promise<Message> {
    return (await this.request(RegenerateReplyDocument, { conversationId })).regenerateReply;
  }

  /** Token usage for a UTC day (today by default) and the daily quota. */
  async usage(date?: string): Promise<DailyUsage> {
    return (await this.request(UsageDocument, { date: date ?? null })).usage;
  }
}
