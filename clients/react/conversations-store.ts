// The signed-in user's conversations, most recently updated first (ChatApi.listConversations, one page at a time),
// with the ones created or written to here moved to the top without reading the list again.
import type { ChatApi, Conversation, NewConversation } from '../kit/index.ts';
import { chatError, type ChatError } from './errors.ts';
import { SnapshotStore } from './store.ts';

export interface ConversationsSnapshot {
  items: readonly Conversation[];
  /** idle until the first listener (or refresh()); loading while the first page is read. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** More pages to read with loadMore(). */
  hasMore: boolean;
  loadingMore: boolean;
  creating: boolean;
  error: ChatError | null;
}

export interface ConversationsStoreOptions {
  api: Pick<ChatApi, 'listConversations' | 'createConversation'>;
  /** Conversations a page (1 to 100; default 20). */
  pageSize?: number;
}

export class ConversationsStore extends SnapshotStore<ConversationsSnapshot> {
  private nextToken: string | null = null;
  /** Bumped by refresh(): a page read for an older list is dropped. */
  private generation = 0;

  constructor(private readonly options: ConversationsStoreOptions) {
    super({ items: [], status: 'idle', hasMore: false, loadingMore: false, creating: false, error: null });
  }

  /** Reads the first page again, in place of the list. Never rejects: failures are in `error`. */
  readonly refresh = async (): Promise<void> => {
    const generation = ++this.generation;
    this.set({ status: 'loading', loadingMore: false });
    try {
      const page = await this.options.api.listConversations({ limit: this.pageSize });
      if (generation !== this.generation) return;
      this.nextToken = page.nextToken;
      this.set({ items: page.items, status: 'ready', hasMore: page.nextToken !== null, error: null });
    } catch (error) {
      if (generation === this.generation) this.set({ status: 'error', error: chatError('list', error) });
    }
  };

  /** Reads the next page and adds it below; does nothing while a page is read or when there is none. */
  readonly loadMore = async (): Promise<void> => {
    const { status, loadingMore } = this.getSnapshot();
    if (status !== 'ready' || loadingMore || this.nextToken === null) return;
    const generation = this.generation;
    this.set({ loadingMore: true });
    try {
      const page = await this.options.api.listConversations({ limit: this.pageSize, nextToken: this.nextToken });
      if (generation !== this.generation) return;
      this.nextToken = page.nextToken;
      const known = new Set(this.getSnapshot().items.map((c) => c.id));
      this.set({ items: [...this.getSnapshot().items, ...page.items.filter((c) => !known.has(c.id))], hasMore: page.nextToken !== null, loadingMore: false, error: null });
    } catch (error) {
      if (generation === this.generation) this.set({ loadingMore: false, error: chatError('list', error) });
    }
  };

  /** Creates a conversation and puts it first; resolves to it, or to null when it failed (see `error`). */
  readonly create = async (input: NewConversation = {}): Promise<Conversation | null> => {
    this.set({ creating: true });
    try {
      const created = await this.options.api.createConversation(input);
      this.set({ items: [created, ...this.getSnapshot().items.filter((c) => c.id !== created.id)], creating: false, error: null });
      return created;
    } catch (error) {
      this.set({ creating: false, error: chatError('create', error) });
      return null;
    }
  };

  /** A conversation changed here (a message sent, a TITLE event): its fields updated, and moved first when `recent`. */
  changed(id: string, change: Partial<Omit<Conversation, 'id'>>, recent: boolean): void {
    const items = this.getSnapshot().items;
    const current = items.find((c) => c.id === id);
    if (!current) return;
    const updated = { ...current, ...change };
    this.set({ items: recent ? [updated, ...items.filter((c) => c !== current)] : items.map((c) => (c === current ? updated : c)) });
  }

  readonly dismissError = (): void => {
    this.set({ error: null });
  };

  protected override active(): void {
    if (this.getSnapshot().status === 'idle') void this.refresh();
  }

  private get pageSize(): number {
    return this.options.pageSize ?? 20;
  }
}
