// A conversation's replies as they are written: one onReplyEvent subscription, a ReplyAssembler per reply followed,
// events held until their reply is followed (they can arrive before sendMessage answers), and the stored message read
// again whenever an assembler asks, or the connection comes back after an interruption (docs/architecture.md, "Resume").
import type { ChatApi } from './conversations.ts';
import { printDocument } from './graphql.ts';
import { OnReplyEventDocument, type OnReplyEventSubscription, type ReplyEvent } from './operations.ts';
import type { RealtimeClient, RealtimeError, Subscription } from './realtime.ts';
import { ReplyAssembler, type ReplyAssemblerOptions, type ReplySnapshot, type ReplyState } from './reply.ts';

export interface ConversationFeedOptions {
  realtime: RealtimeClient;
  api: Pick<ChatApi, 'getMessage'>;
  conversationId: string;
  /** A followed reply changed. */
  onReply?(state: ReplyState): void;
  /** A TITLE event: the conversation's new title. */
  onTitle?(title: string): void;
  /** The subscription ended for good, or a re-read failed (the feed asks again on the next gap). */
  onError?(error: Error): void;
  /** The connection was lost (events are missed until it comes back), or it came back and the replies are read again. */
  onConnection?(state: 'interrupted' | 'resumed', reason: string): void;
  assembler?: Pick<ReplyAssemblerOptions, 'maxAhead' | 'gapTimeoutMs'>;
  /** Events of replies not followed yet kept at most (the oldest go first). */
  earlyLimit?: number;
}

export class ConversationFeed {
  /** Resolves once AppSync acknowledged the subscription: send messages after it, or their first events are missed. */
  readonly ready: Promise<void>;
  private readonly subscription: Subscription;
  private readonly replies = new Map<string, ReplyAssembler>();
  private early: ReplyEvent[] = [];
  private readonly reading = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: ConversationFeedOptions) {
    this.subscription = options.realtime.subscribe({ query: printDocument(OnReplyEventDocument), variables: { conversationId: options.conversationId } }, {
      next: (payload) => {
        const event = (payload.data as Partial<OnReplyEventSubscription> | null | undefined)?.onReplyEvent;
        if (event) this.receive(event);
      },
      error: (error: RealtimeError) => options.onError?.(error),
      complete: () => undefined,
      interrupted: (reason) => options.onConnection?.('interrupted', reason),
      resumed: () => {
        options.onConnection?.('resumed', 'subscribed again');
        for (const reply of this.replies.values()) if (!reply.state.final) void this.reread(reply.messageId);
      },
    });
    this.ready = this.subscription.ready;
  }

  /** Follows a reply from the message as read (sendMessage's reply, getMessage); returns its state. */
  follow(message: ReplySnapshot): ReplyState {
    this.replies.get(message.id)?.dispose();
    let lastTitle: string | null = null;
    const assembler = new ReplyAssembler(message, {
      ...this.options.assembler,
      onReread: () => void this.reread(message.id),
      onChange: (state) => {
        if (state.title !== null && state.title !== lastTitle) this.options.onTitle?.(state.title);
        lastTitle = state.title;
        this.options.onReply?.(state);
      },
    });
    this.replies.set(message.id, assembler);
    const held = this.early.filter((e) => e.messageId === message.id);
    this.early = this.early.filter((e) => e.messageId !== message.id);
    for (const event of held) assembler.receive(event);
    return assembler.state;
  }

  reply(id: string): ReplyState | undefined {
    return this.replies.get(id)?.state;
  }

  /** Reads the message again and resumes its assembler from it; one read at a time per reply. */
  reread(id: string): Promise<void> {
    const running = this.reading.get(id);
    if (running) return running;
    const read = (async () => {
      try {
        const stored = await this.options.api.getMessage(this.options.conversationId, id);
        if (stored && !this.closed) this.replies.get(id)?.resume(stored);
      } catch (error) {
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.reading.delete(id);
      }
    })();
    this.reading.set(id, read);
    return read;
  }

  close(): void {
    this.closed = true;
    this.subscription.unsubscribe();
    for (const reply of this.replies.values()) reply.dispose();
    this.replies.clear();
    this.early = [];
  }

  private receive(event: ReplyEvent): void {
    const reply = this.replies.get(event.messageId);
    if (reply) {
      reply.receive(event);
      return;
    }
    this.early.push(event);
    const limit = this.options.earlyLimit ?? 1_000;
    if (this.early.length > limit) this.early.splice(0, this.early.length - limit);
  }
}
