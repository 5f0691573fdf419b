// One conversation as a chat view shows it: its messages, oldest first, with the reply being written assembled as its
// events land (the kit's ConversationFeed and ReplyAssembler: seq order, gaps, reconnects), and send, stop, regenerate.
// Opening follows the resume rule (docs/architecture.md, "The reply contract"): subscribe to onReplyEvent first, then
// read the history, and follow a reply still being written from the message as read, so nothing is lost or shown twice.
import { ConversationFeed, isFinalStatus, type ChatApi, type ClientTool, type ConversationFeedOptions, type Message, type RealtimeClient, type ReplyState, type Turn } from '../kit/index.ts';
import { chatError, type ChatError } from './errors.ts';
import { SnapshotStore } from './store.ts';

/** A message sent and not answered yet: shown as the user wrote it until sendMessage returns the stored one. */
export interface OutgoingMessage { clientMessageId: string; content: string }

export interface ConversationSnapshot {
  conversationId: string;
  /** idle until opened (the first listener opens it); loading while subscribing and reading the history. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Oldest first; a reply being written has its text, blocks, status and seq as assembled so far. */
  messages: readonly Message[];
  /** The reply followed last (sent, regenerated, or found in flight when opened), as assembled; null before one. */
  reply: ReplyState | null;
  /** A reply is being written, or waits for a client tool: send and regenerate would be refused (Conflict). */
  replying: boolean;
  outgoing: OutgoingMessage | null;
  regenerating: boolean;
  /** stop() was asked and the reply has not ended yet (it ends at the chat function's next checkpoint). */
  stopping: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  /** interrupted while the real-time connection is lost; events missed meanwhile are read when it comes back. */
  connection: 'connected' | 'interrupted';
  error: ChatError | null;
}

export interface SendOptions {
  /** Sending the same id again answers the same turn (default: a new UUID). */
  clientMessageId?: string;
  clientTools?: readonly ClientTool[];
}

export interface ConversationStoreOptions {
  api: Pick<ChatApi, 'listMessages' | 'getMessage' | 'sendMessage' | 'stopReply' | 'regenerateReply'>;
  realtime: RealtimeClient;
  conversationId: string;
  /** Messages a page of history (1 to 100; default 50). */
  pageSize?: number;
  assembler?: ConversationFeedOptions['assembler'];
  onTitle?(title: string): void;
  onSent?(turn: Turn): void;
  onReplyEnd?(state: ReplyState): void;
  onFailure?(error: ChatError): void;
}

/** A reply's message with the assembled state in place of what was read. */
const withReply = (message: Message, state: ReplyState): Message => ({
  ...message, content: state.text, blocks: [...state.blocks], status: state.status, seq: state.seq, usage: state.usage, stopReason: state.stopReason, error: state.error,
});

export class ConversationStore extends SnapshotStore<ConversationSnapshot> {
  readonly conversationId: string;
  private feed: ConversationFeed | null = null;
  private opening: Promise<void> | null = null;
  private endOpening: () => void = () => undefined;
  /** Bumped by open() and close(): answers meant for an earlier opening are dropped. */
  private generation = 0;
  private nextToken: string | null = null;
  private readonly ended = new Set<string>();

  constructor(private readonly options: ConversationStoreOptions) {
    super({
      conversationId: options.conversationId, status: 'idle', messages: [], reply: null, replying: false, outgoing: null, regenerating: false, stopping: false,
      hasOlder: false, loadingOlder: false, connection: 'connected', error: null,
    });
    this.conversationId = options.conversationId;
  }

  /** Subscribes and reads the newest page of history; resolves once that is done (or failed, or closed). Idempotent. */
  readonly open = (): Promise<void> => {
    if (this.opening && this.getSnapshot().status !== 'error') return this.opening;
    this.close();
    this.opening = this.load(++this.generation);
    return this.opening;
  };

  /** Ends the subscription; the messages stay until the next open() reads them again. */
  readonly close = (): void => {
    this.generation += 1;
    this.endOpening();
    this.feed?.close();
    this.feed = null;
    this.opening = null;
    if (this.getSnapshot().status !== 'idle') this.set({ status: 'idle', connection: 'connected', stopping: false });
  };

  /** Sends a message and follows its reply; resolves to the turn, or to null when it failed (see `error`). */
  readonly send = async (content: string, options: SendOptions = {}): Promise<Turn | null> => {
    const clientMessageId = options.clientMessageId ?? crypto.randomUUID();
    this.set({ outgoing: { clientMessageId, content }, error: null });
    const generation = await this.ready();
    if (generation === null) {
      this.set({ outgoing: null });
      return null;
    }
    try {
      const turn = await this.options.api.sendMessage(this.conversationId, content, clientMessageId, options.clientTools ?? []);
      this.set({ outgoing: null });
      if (generation === this.generation) {
        this.append(turn.userMessage, turn.reply);
        this.follow(turn.reply);
      }
      this.options.onSent?.(turn);
      return turn;
    } catch (error) {
      this.set({ outgoing: null });
      this.fail(chatError('send', error));
      return null;
    }
  };

  /** Asks the reply in flight to stop; it ends STOPPED with its text kept, announced by its DONE event. */
  readonly stop = async (): Promise<void> => {
    const reply = this.getSnapshot().reply;
    if (!reply || reply.final) return;
    this.set({ stopping: true, error: null });
    try {
      const stored = await this.options.api.stopReply(this.conversationId);
      if (isFinalStatus(stored.status)) void this.feed?.reread(stored.id);
    } catch (error) {
      const failure = chatError('stop', error);
      this.set({ stopping: false });
      // Conflict or NotFound: the reply ended before the stop reached it; its end is read rather than reported.
      if (failure.errorType === 'Conflict' || failure.errorType === 'NotFound') void this.feed?.reread(reply.messageId);
      else this.fail(failure);
    }
  };

  /** A new reply to the last user message, in place of the last reply; resolves to it, or to null when refused. */
  readonly regenerate = async (): Promise<Message | null> => {
    this.set({ regenerating: true, error: null });
    const generation = await this.ready();
    try {
      if (generation === null) return null;
      const reply = await this.options.api.regenerateReply(this.conversationId);
      if (generation === this.generation) {
        // The replaced reply is deleted (docs/architecture.md, "The chat turn", Regenerate).
        const messages = this.getSnapshot().messages;
        this.set({ messages: messages.at(-1)?.role === 'ASSISTANT' ? messages.slice(0, -1) : messages });
        this.append(reply);
        this.follow(reply);
      }
      return reply;
    } catch (error) {
      this.fail(chatError('regenerate', error));
      return null;
    } finally {
      this.set({ regenerating: false });
    }
  };

  /** Reads the next page of older messages and puts it above; does nothing while one is read or when there is none. */
  readonly loadOlder = async (): Promise<void> => {
    const { status, loadingOlder } = this.getSnapshot();
    if (status !== 'ready' || loadingOlder || this.nextToken === null) return;
    const generation = this.generation;
    this.set({ loadingOlder: true });
    try {
      const page = await this.options.api.listMessages(this.conversationId, { limit: this.pageSize, nextToken: this.nextToken });
      if (generation !== this.generation) return;
      this.nextToken = page.nextToken;
      const messages = this.getSnapshot().messages;
      const known = new Set(messages.map((m) => m.id));
      this.set({ messages: [...[...page.items].reverse().filter((m) => !known.has(m.id)), ...messages], hasOlder: page.nextToken !== null, loadingOlder: false });
    } catch (error) {
      if (generation === this.generation) this.set({ loadingOlder: false, error: chatError('loadOlder', error) });
    }
  };

  readonly dismissError = (): void => {
    this.set({ error: null });
  };

  protected override active(): void {
    void this.open();
  }

  protected override idle(): void {
    this.close();
  }

  private get pageSize(): number {
    return this.options.pageSize ?? 50;
  }

  private async load(generation: number): Promise<void> {
    const feed: ConversationFeed = new ConversationFeed({
      realtime: this.options.realtime, api: this.options.api, conversationId: this.conversationId,
      ...(this.options.assembler ? { assembler: this.options.assembler } : {}),
      onReply: (state) => this.feed === feed && this.show(state),
      onTitle: (title) => this.options.onTitle?.(title),
      onError: (error) => this.feed === feed && this.fail(chatError('subscription', error)),
      onConnection: (state) => this.feed === feed && this.set({ connection: state === 'interrupted' ? 'interrupted' : 'connected' }),
    });
    this.feed = feed;
    this.set({ status: 'loading', error: null, connection: 'connected' });
    const closed = new Promise<'closed'>((resolve) => (this.endOpening = () => resolve('closed')));
    try {
      // Subscribed before reading: an event published after the read is received, one before it is in the read.
      if (await Promise.race([feed.ready.then(() => 'ready' as const), closed]) === 'closed') return;
      const page = await this.options.api.listMessages(this.conversationId, { limit: this.pageSize });
      if (generation !== this.generation) return;
      this.nextToken = page.nextToken;
      const messages = [...page.items].reverse();
      this.set({ status: 'ready', messages, hasOlder: page.nextToken !== null, reply: null, replying: false, stopping: false });
      for (const message of messages) if (message.role === 'ASSISTANT' && !isFinalStatus(message.status)) this.follow(message);
    } catch (error) {
      if (generation === this.generation) this.set({ status: 'error', error: chatError('open', error) });
    }
  }

  /** The generation opened, once its history is read; null when it failed or was closed meanwhile. */
  private async ready(): Promise<number | null> {
    await this.open();
    const generation = this.generation;
    return this.getSnapshot().status === 'ready' ? generation : null;
  }

  private append(...added: Message[]): void {
    const ids = new Set(added.map((m) => m.id));
    this.set({ messages: [...this.getSnapshot().messages.filter((m) => !ids.has(m.id)), ...added] });
  }

  private follow(message: Message): void {
    const feed = this.feed;
    if (feed) this.show(feed.follow(message), true);
  }

  /** A followed reply changed: its message updated; the reply shown when it is the one followed last. */
  private show(state: ReplyState, followed = false): void {
    const { messages, reply } = this.getSnapshot();
    const current = followed || reply === null || reply.messageId === state.messageId;
    this.set({
      messages: messages.map((m) => (m.id === state.messageId ? withReply(m, state) : m)),
      ...(current ? { reply: state, replying: !state.final, ...(state.final ? { stopping: false } : {}) } : {}),
    });
    if (state.final && !this.ended.has(state.messageId)) {
      this.ended.add(state.messageId);
      this.options.onReplyEnd?.(state);
    }
  }

  private fail(error: ChatError): void {
    this.set({ error });
    this.options.onFailure?.(error);
  }
}
