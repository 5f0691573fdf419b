/// <reference lib="dom" />
// The chat view: pick or create a conversation, subscribe to onReplyEvent before sending, stream the reply's
// DELTAs in seq order, stop it with stopReply, and show how it ended.
import type { GraphqlClient } from './api.ts';
import { errorText, h } from './dom.ts';
import {
  CREATE_CONVERSATION, GET_MESSAGE, LIST_CONVERSATIONS, LIST_MESSAGES, ON_REPLY_EVENT, SEND_MESSAGE, STOP_REPLY,
  type Conversation, type Message, type ReplyEvent,
} from './operations.ts';
import type { RealtimeClient, Subscription } from './realtime-client.ts';
import { MessageView } from './reply-view.ts';

interface Selected { conversation: Conversation; subscription: Subscription }

export class ChatView {
  readonly element: HTMLElement;
  private readonly list = h('ul', { class: 'conversation-list', 'aria-label': 'Conversations' });
  private readonly title = h('h2', { class: 'thread-title' }, 'New conversation');
  private readonly messages = h('ol', { class: 'messages', 'aria-label': 'Messages' });
  private readonly input = h('textarea', { name: 'content', rows: '3', 'aria-label': 'Message', placeholder: 'Ask something… (Enter sends, Shift+Enter for a new line)', required: true });
  private readonly sendButton = h('button', { type: 'submit' }, 'Send');
  private readonly stopButton = h('button', { type: 'button', class: 'stop', disabled: true }, 'Stop');
  private readonly statusLine = h('p', { class: 'chat-status', role: 'status' });
  private conversations: Conversation[] = [];
  private selected: Selected | null = null;
  private readonly views = new Map<string, MessageView>();
  /** Events for a reply whose sendMessage answer has not arrived yet. */
  private readonly early = new Map<string, ReplyEvent[]>();
  private streaming: MessageView | null = null;

  constructor(private readonly api: GraphqlClient, private readonly realtime: RealtimeClient) {
    const composer = h('form', { class: 'composer', onsubmit: (event) => this.onSubmit(event) }, this.input, h('div', { class: 'actions' }, this.sendButton, this.stopButton));
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
      const data = await this.api.request<{ listConversations: { items: Conversation[] } }>(LIST_CONVERSATIONS, { limit: 50 });
      this.conversations = data.listConversations.items;
      this.renderList();
    });
  }

  dispose(): void {
    this.selected?.subscription.unsubscribe();
    this.selected = null;
  }

  private renderList(): void {
    this.list.replaceChildren(...this.conversations.map((c) => h('li', {},
      h('button', { type: 'button', 'data-conversation-id': c.id, 'aria-current': c.id === this.selected?.conversation.id ? 'true' : 'false', onclick: () => void this.select(c) }, c.title ?? 'Untitled'))));
  }

  /** Opens a conversation: its onReplyEvent subscription first, then its history. */
  private async select(conversation: Conversation | null): Promise<void> {
    this.dispose();
    this.views.clear();
    this.early.clear();
    this.setStreaming(null);
    this.messages.replaceChildren();
    this.title.textContent = conversation?.title ?? 'New conversation';
    this.renderList();
    if (!conversation) return;
    const subscription = this.realtime.subscribe({ query: ON_REPLY_EVENT, variables: { conversationId: conversation.id } }, {
      next: (payload) => {
        const event = (payload.data as { onReplyEvent?: ReplyEvent | null } | undefined)?.onReplyEvent;
        if (event) void this.onEvent(event);
      },
      error: (error) => this.say(`Subscription ended: ${errorText(error)}`, true),
      complete: () => undefined,
    });
    this.selected = { conversation, subscription };
    this.renderList();
    await this.run('Opening the conversation', async () => {
      const data = await this.api.request<{ listMessages: { items: Message[] } }>(LIST_MESSAGES, { conversationId: conversation.id, limit: 50 });
      for (const message of data.listMessages.items.reverse()) this.show(message);
      await subscription.ready;
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
    await this.run('Sending', async () => {
      if (!this.selected) {
        const created = await this.api.request<{ createConversation: Conversation }>(CREATE_CONVERSATION, { input: {} });
        this.conversations.unshift(created.createConversation);
        await this.select(created.createConversation);
      }
      const selected = this.selected;
      if (!selected) return;
      // Subscribed before sending: no DELTA can be published before AppSync has our start_ack.
      await selected.subscription.ready;
      const input = { conversationId: selected.conversation.id, content, clientMessageId: crypto.randomUUID() };
      const data = await this.api.request<{ sendMessage: { userMessage: Message; reply: Message } }>(SEND_MESSAGE, { input });
      this.input.value = '';
      this.show(data.sendMessage.userMessage);
      const reply = this.show(data.sendMessage.reply);
      if (!reply.ended) this.setStreaming(reply);
      for (const early of this.early.get(data.sendMessage.reply.id) ?? []) await this.onEvent(early);
      this.early.clear();
    });
    this.sendButton.disabled = this.streaming !== null;
  }

  private async stop(): Promise<void> {
    const selected = this.selected;
    if (!selected || !this.streaming) return;
    this.stopButton.disabled = true;
    await this.run('Stopping', async () => {
      const data = await this.api.request<{ stopReply: Message }>(STOP_REPLY, { conversationId: selected.conversation.id });
      this.views.get(data.stopReply.id)?.settle(data.stopReply);
    });
  }

  private async onEvent(event: ReplyEvent): Promise<void> {
    const view = this.views.get(event.messageId);
    if (!view) {
      this.early.set(event.messageId, [...(this.early.get(event.messageId) ?? []), event]);
      return;
    }
    const gap = view.receive(event);
    if (gap) {
      // A final event behind a missing one: the stored message is final, read it.
      const data = await this.api.request<{ getMessage: Message | null }>(GET_MESSAGE, { conversationId: event.conversationId, id: event.messageId });
      if (data.getMessage) view.settle(data.getMessage);
    }
  }

  private show(message: Message): MessageView {
    const view = new MessageView(message, (ended) => this.onEnd(ended), (title) => this.onTitle(title));
    this.views.set(message.id, view);
    this.messages.append(view.element);
    if (message.role === 'ASSISTANT' && !view.ended) this.setStreaming(view);
    view.element.scrollIntoView({ block: 'end' });
    return view;
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
