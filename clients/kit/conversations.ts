// The chat operations a front end calls (docs/architecture.md, "The API"), each one typed document from
// operations.ts over any GraphQL request function (graphql.ts, or one over a client's own: Amplify's, Apollo's), and a
// file's upload to S3 (attachments.ts).
import { postFile, type NamedBlob } from './attachments.ts';
import { fetchOf, type GraphqlRequest } from './graphql.ts';
import {
  CreateAttachmentUploadDocument, CreateConversationDocument, GetMessageDocument, ListConversationsDocument, ListMessagesDocument, RegenerateReplyDocument, SendMessageDocument,
  StopReplyDocument, SubmitToolResultDocument, UsageDocument,
  type Attachment, type ClientTool, type Conversation, type DailyUsage, type Message, type Page, type Turn,
} from './operations.ts';

export interface PageRequest { limit?: number; nextToken?: string | null }
export interface NewConversation { title?: string; systemPrompt?: string; model?: string; thinkingBudgetTokens?: number }

/** What a message is sent with besides its text: sendMessage's clientTools, attachmentIds and citations. */
export interface SendOptions {
  /** Tools the front end runs itself: the reply waits (AWAITING_TOOL_RESULT) when the model calls one. */
  clientTools?: readonly ClientTool[];
  /** Attachments uploaded to this conversation (uploadAttachment), at most 5, each sent once. */
  attachmentIds?: readonly string[];
  /** Asks the model to cite the documents it is given: CITATION events, TEXT blocks' citations. */
  citations?: boolean;
}

export interface ChatApiOptions {
  /** Posts uploads to S3. Defaults to the fetch option of the graphqlClient whose request the ChatApi was given, else the global fetch. */
  fetch?: typeof fetch;
}

export class ChatApi {
  private readonly fetch: typeof fetch;

  constructor(private readonly request: GraphqlRequest, options: ChatApiOptions = {}) {
    this.fetch = options.fetch ?? fetchOf(request) ?? ((input, init) => fetch(input, init));
  }

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
   * Starts a turn; sending the same clientMessageId again answers the same turn (a retry never makes two). The last
   * argument is the client tools, or SendOptions: with `clientTools`, the model may call them and the reply then waits
   * (AWAITING_TOOL_RESULT) for submitToolResult; `attachmentIds` sends uploaded files; `citations` asks for citations.
   */
  async sendMessage(conversationId: string, content: string, clientMessageId: string = crypto.randomUUID(), options: readonly ClientTool[] | SendOptions = {}): Promise<Turn> {
    const { clientTools = [], attachmentIds = [], citations }: SendOptions = isToolList(options) ? { clientTools: options } : options;
    const tools = clientTools.map((tool) => ({ ...tool, inputSchema: JSON.stringify(tool.inputSchema) }));
    const input = {
      conversationId, content, clientMessageId,
      ...(tools.length > 0 ? { clientTools: tools } : {}),
      ...(attachmentIds.length > 0 ? { attachmentIds: [...attachmentIds] } : {}),
      ...(citations === undefined ? {} : { citations }),
    };
    return (await this.request(SendMessageDocument, { input })).sendMessage;
  }

  /**
   * Uploads a file for a message of the conversation: createAttachmentUpload, then the file posted to S3 with its
   * presigned POST. Returns the attachment, whose id sendMessage's attachmentIds takes (within 24 hours). The type is the
   * file's own unless given (a `.md` file is text/plain to the API). Rejects with a GraphqlError when the API refuses the
   * file (type, size, name), with an AttachmentUploadError carrying S3's error code when S3 refuses the upload.
   */
  async uploadAttachment(conversationId: string, file: NamedBlob, contentType: string = file.type): Promise<Attachment> {
    const attachment = { fileName: file.name, contentType, size: file.size };
    const upload = (await this.request(CreateAttachmentUploadDocument, { input: { conversationId, ...attachment } })).createAttachmentUpload;
    await postFile(this.fetch, upload, file);
    return { id: upload.id, ...attachment };
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

const isToolList = (options: readonly ClientTool[] | SendOptions): options is readonly ClientTool[] => Array.isArray(options);
