/// <reference lib="dom" />
// The chat view: pick or create a conversation, subscribe to onReplyEvent before sending, upload the files chosen
// (attachment-picker.ts) and send them with the message, show the reply as the kit assembles it (clients/kit/feed.ts:
// seq order, gaps, reconnects), stop it with stopReply, and show how it ended.
import { ConversationFeed, type ChatApi, type Conversation, type Message, type RealtimeClient, type ReplyState } from '../kit/index.ts';
import { AttachmentPicker, declaredType, isDocument } from './attachment-picker.ts';
import { errorText, h } from './dom.ts';
import { MessageView } from './reply-view.ts';

interface Selected { conversation: Conversation; feed: ConversationFeed }

export class ChatView {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'conversation-list', 'aria-label': 'Conversations' });
  private readonly title = h('h2', { class: 'thread-title' }, 'New conversation');
  private readonly messages = h('ol', { class: 'messages', 'aria-label': 'Messages' });
  private readonly input = h('textarea', { name: 'content', rows: '3', 'aria-label': 'Message', placeholder: 'Ask something… (Enter sends, Shift+Enter for a new line)', required: true });
  private readonly sendButton = h('button', { type: 'submit' }, 'Send');
  private readonly stopButton = h('button', { type: 'button', class: 'stop', disabled: true }, 'Stop');
  private readonly statusLine = h('p', { class: 'chat-status', role: 'status' });
  private readonly picker = new AttachmentPicker();
  private conversations: Conversation[] = [];
  private selected: Selected | null = null;
  private readonly views = new Map<string, MessageView>();
  private streaming: MessageView | null = null;

  constructor(private readonly api: ChatApi, private readonly realtime: RealtimeClient) {
    const composer = h('form', { class: 'composer', onsubmit: (event) => this.onSubmit(event) },
      h('div', { class: 'compose' }, this.input, this.picker.element), h('div', { class: 'actions' }, this.sendButton, this.stopButton));
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
    this.stopButton.addEventListener('click', () => void this.stop());
    this.element = h('div', { class: 'chat' },
      h('aside', { class: 'conversations' }, h('button', { type: 'button', class: 'new', onclick: () => void this.select(null) }, '+ New conversation'), this.list),
      h('section', { class: 'thread' }, this.title, this.messages, composer, this.statusLine));
  }

  async load(): Promise<void> {
    await this.run('Loading conversations', async () => {
      const { items } = await this.api.listConversations({ limit: 50 });
      // A conversation created by a send while the list was read stays on it.
      const read = new Set(items.map((c) => c.id));
      this.conversations = [...this.conversations.filter((c) => !read.has(c.id)), ...items];
      this.renderList();
    });
  }

  dispose(): void {
    this.selected?.feed.close();
    this.selected = null;
  }

  private renderList(): void {
    this.list.replaceChildren(...this.conversations.map((c) => h('li', {},
      h('button', { type: 'button', 'data-conversation-id': c.id, 'aria-current': c.id === this.selected?.conversation.id ? 'true' : 'false', onclick: () => void this.select(c) }, c.title ?? 'Untitled'))));
  }

  /** Opens a conversation: its onReplyEvent subscription first, then its history; a reply still being written is followed. */
  private async select(conversation: Conversation | null): Promise<void> {
    this.dispose();
    this.views.clear();
    this.setStreaming(null);
    this.messages.replaceChildren();
    this.title.textContent = conversation?.title ?? 'New conversation';
    this.renderList();
    if (!conversation) return;
    const feed = new ConversationFeed({
      realtime: this.realtime, api: this.api, conversationId: conversation.id,
      onReply: (state) => this.onReply(state),
      onTitle: (title) => this.onTitle(title),
      onError: (error) => this.say(`Subscription: ${errorText(error)}`, true),
      onConnection: (state, reason) => this.say(state === 'interrupted' ? `Connection lost (${reason}): reconnecting…` : 'Reconnected.', false),
    });
    this.selected = { conversation, feed };
    this.renderList();
    await this.run('Opening the conversation', async () => {
      const page = await this.api.listMessages(conversation.id, { limit: 50 });
      for (const message of page.items.reverse()) this.show(message);
      await feed.ready;
    });
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    const content = this.input.value.trim();
    if (content === '' || this.streaming) return;
    void this.send(content);
  }

  private async send(content: string): Promise<void> {
    this.sendButton.disabled = true;
    this.picker.setBusy(true);
    await this.run('Sending', async () => {
      if (!this.selected) {
        const created = await this.api.createConversation();
        this.conversations.unshift(created);
        await this.select(created);
      }
      const selected = this.selected;
      if (!selected) return;
      const attachmentIds = await this.upload(selected.conversation.id);
      // Subscribed before sending: no event can be published before AppSync has our start_ack.
      await selected.feed.ready;
      // Citations are asked for whenever a document goes with the message: the playground shows them under the reply.
      const citations = this.picker.files.some((picked) => isDocument(picked.file));
      const turn = await this.api.sendMessage(selected.conversation.id, content, undefined, { attachmentIds, ...(citations ? { citations } : {}) });
      this.input.value = '';
      this.picker.clear();
      this.show(turn.userMessage);
      this.show(turn.reply);
    });
    this.picker.setBusy(false);
    this.sendButton.disabled = this.streaming !== null;
  }

  /** Uploads the files chosen (those not uploaded to this conversation already); their attachment ids. */
  private async upload(conversationId: string): Promise<string[]> {
    const files = this.picker.files;
    const ids: string[] = [];
    for (const [n, picked] of files.entries()) {
      if (picked.uploaded?.conversationId !== conversationId) {
        this.say(`Uploading ${picked.file.name} (${n + 1} of ${files.length})…`, false);
        const { id } = await this.api.uploadAttachment(conversationId, picked.file, declaredType(picked.file));
        picked.uploaded = { conversationId, id };
      }
      ids.push(picked.uploaded.id);
    }
    return ids;
  }

  private async stop(): Promise<void> {
    const selected = this.selected;
    if (!selected || !this.streaming) return;
    this.stopButton.disabled = true;
    // The reply ends STOPPED at the chat function's next checkpoint, announced by its DONE event.
    await this.run('Stopping', async () => {
      await this.api.stopReply(selected.conversation.id);
    });
  }

  private show(message: Message): void {
    const view = new MessageView(message, (ended) => this.onEnd(ended));
    this.views.set(message.id, view);
    this.messages.append(view.element);
    const feed = this.selected?.feed;
    if (message.role === 'ASSISTANT' && !view.ended && feed) {
      this.setStreaming(view);
      view.render(feed.follow(message));
    }
    view.element.scrollIntoView({ block: 'end' });
  }

  private onReply(state: ReplyState): void {
    this.views.get(state.messageId)?.render(state);
  }

  private onEnd(view: MessageView): void {
    if (this.streaming === view) this.setStreaming(null);
    this.say(`Reply ${view.element.dataset.status ?? ''}`, false);
  }

  private onTitle(title: string): void {
    const current = this.selected?.conversation;
    if (!current) return;
    current.title = title;
    this.title.textContent = title;
    this.renderList();
  }

  private setStreaming(view: MessageView | null): void {
    this.streaming = view;
    this.stopButton.disabled = view === null;
    this.sendButton.disabled = view !== null;
    if (view) this.say('Streaming the reply…', false);
  }

  private say(text: string, isError: boolean): void {
    this.statusLine.textContent = text;
    this.statusLine.classList.toggle('error', isError);
  }

  private async run(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.say(`${what} failed: ${errorText(error)}`, true);
    }
  }
}
