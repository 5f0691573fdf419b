// The React hooks' stores (clients/react) against the product's sandbox, without React: a conversation's messages
// with its reply assembled as it lands, opened mid-reply, stopped, regenerated, paged; the list paged and reordered;
// today's usage; refusals carrying AppSync's errorType. The kit underneath talks to the sandbox over fetch and Node's
// WebSocket, as a browser would. Then the hooks rendered on the server (react-dom/server), which reads the stores
// without subscribing; in a browser they are tested by test/e2e/example-react.test.ts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createElement as h, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { ChatProvider, useConversation, useConversations, useUsage } from '../../../../clients/react/index.ts';
import { ChatClient, type ChatClientOptions, type ConversationSnapshot, type ConversationStore } from '../../../../clients/react/stores.ts';
import { startProduct, user, type Product, type User } from '../../../e2e/product.ts';
import { eventually, until } from '../../../support/until.ts';

let p: Product;
let ivy: User;

beforeAll(async () => {
  // 100 tokens a second: a reply of 400 tokens streams for seconds, across checkpoints.
  p = await startProduct({ claude: { tokensPerSecond: 100 } });
  ivy = await user(p.sandbox, 'ivy@example.com');
}, 120_000);

const clients: ChatClient[] = [];

afterAll(async () => {
  for (const client of clients) client.close();
  await p?.stop();
}, 90_000);

function connect(who: User = ivy, options: Omit<ChatClientOptions, 'api' | 'realtime'> = {}): ChatClient {
  const { urls } = p.sandbox;
  const client = ChatClient.connect({ graphqlUrl: urls.graphql, realtimeUrl: urls.realtime, token: () => who.accessToken }, { assembler: { gapTimeoutMs: 500 }, ...options });
  clients.push(client);
  return client;
}

/** Every snapshot the store gives its listener, from now on. */
function watch(store: ConversationStore): { snapshots: ConversationSnapshot[]; latest(): ConversationSnapshot; stop(): void } {
  const snapshots: ConversationSnapshot[] = [];
  const stop = store.subscribe(() => snapshots.push(store.getSnapshot()));
  return { snapshots, latest: () => store.getSnapshot(), stop };
}

/** The texts a reply showed, in order: each one must begin with the one before (text lands, it never repeats). */
const textsOf = (snapshots: ConversationSnapshot[], replyId: string): string[] =>
  snapshots.map((s) => s.messages.find((m) => m.id === replyId)?.content).filter((t): t is string => t !== undefined);

const growsOnly = (texts: string[]): boolean => texts.every((text, i) => i === 0 || text.startsWith(texts[i - 1] ?? ''));

async function opened(client: ChatClient): Promise<{ store: ConversationStore; view: ReturnType<typeof watch> }> {
  const created = await client.conversations.create();
  const store = client.conversation(created?.id ?? '');
  const view = watch(store);
  await until(() => store.getSnapshot().status === 'ready', 'the conversation to open');
  return { store, view };
}

describe('a conversation\'s store', () => {
  it('shows the reply as it lands and ends with the stored message, its text never repeated', async () => {
    const client = connect();
    const { store, view } = await opened(client);
    client.usage.subscribe(() => undefined);
    await until(() => client.usage.getSnapshot().status === 'ready', 'today\'s usage');

    const turn = await store.send('Tell me about the sea [[standin:tokens=250]]');
    await until(() => view.latest().reply?.final === true, 'the end of the reply', 60_000);
    // Read from every snapshot the store gave, not polled while it streamed: a poll can miss that window.
    const streaming = view.snapshots.find((s) => s.reply?.status === 'STREAMING' && s.reply.text.length > 0);
    await until(() => (client.usage.getSnapshot().usage?.outputTokens ?? 0) > 0, 'the usage read after the reply');

    const stored = await client.api.getMessage(store.conversationId, turn?.reply.id ?? '');
    const end = view.latest();
    view.stop();
    expect(streaming?.replying).toBe(true);
    expect(end.messages.map((m) => [m.role, m.id])).toEqual([['USER', turn?.userMessage.id], ['ASSISTANT', turn?.reply.id]]);
    expect(end.messages[1]).toMatchObject({ status: 'COMPLETE', content: stored?.content, seq: stored?.seq, blocks: stored?.blocks });
    expect(end.reply).toMatchObject({ status: 'COMPLETE', text: stored?.content });
    expect(end).toMatchObject({ replying: false, outgoing: null, error: null });
    expect(growsOnly(textsOf(view.snapshots, turn?.reply.id ?? ''))).toBe(true);
    expect(client.usage.getSnapshot().usage?.outputTokens).toBe(stored?.usage?.outputTokens);
  }, 90_000);

  it('shows the message being sent until sendMessage answers with the stored one', async () => {
    const { store, view } = await opened(connect());

    const sending = store.send('Hello there [[standin:tokens=5]]', { clientMessageId: 'outgoing-1' });
    const during = view.latest();
    const turn = await sending;
    await until(() => view.latest().reply?.final === true, 'the end of the reply');

    view.stop();
    expect(during.outgoing).toEqual({ clientMessageId: 'outgoing-1', content: 'Hello there [[standin:tokens=5]]' });
    expect(view.latest().outgoing).toBeNull();
    expect(view.latest().messages.map((m) => m.id)).toEqual([turn?.userMessage.id, turn?.reply.id]);
  }, 60_000);

  it('opened while a reply is written, follows it from the stored message to its end, nothing shown twice', async () => {
    const writer = await opened(connect());
    const turn = await writer.store.send('A long story please [[standin:tokens=600]]');
    // Past a checkpoint (every ~2 s): the history read below holds part of the text. Read from the stored message,
    // which keeps it from then on; how many events the writer has seen by then depends on how fast publishing went.
    const writerApi = connect().api;
    await eventually(async () => (((await writerApi.getMessage(writer.store.conversationId, turn?.reply.id ?? ''))?.content.length ?? 0) > 0 ? true : undefined), 'a checkpoint of the reply', 30_000);

    const reader = connect().conversation(writer.store.conversationId);
    const view = watch(reader);
    await until(() => reader.getSnapshot().status === 'ready', 'the second client to open the conversation');
    const first = reader.getSnapshot();
    await until(() => reader.getSnapshot().reply?.final === true, 'the end of the reply', 60_000);

    const stored = await connect().api.getMessage(writer.store.conversationId, turn?.reply.id ?? '');
    view.stop();
    writer.view.stop();
    expect(first.reply).toMatchObject({ messageId: turn?.reply.id, status: 'STREAMING' });
    expect(first.replying).toBe(true);
    expect(reader.getSnapshot().messages.map((m) => m.role)).toEqual(['USER', 'ASSISTANT']);
    expect(reader.getSnapshot().messages[1]).toMatchObject({ status: 'COMPLETE', content: stored?.content });
    expect(growsOnly(textsOf(view.snapshots, turn?.reply.id ?? ''))).toBe(true);
  }, 90_000);

  it('stops the reply in flight: it ends STOPPED with the text written so far kept', async () => {
    const client = connect();
    const { store, view } = await opened(client);
    const turn = await store.send('Keep talking [[standin:tokens=2000]]');
    await until(() => (view.latest().reply?.text.length ?? 0) > 0, 'the reply to stream');

    await store.stop();
    const stopping = view.latest().stopping;
    await until(() => view.latest().reply?.final === true, 'the reply to end', 30_000);

    const stored = await client.api.getMessage(store.conversationId, turn?.reply.id ?? '');
    view.stop();
    expect(stopping).toBe(true);
    expect(view.latest()).toMatchObject({ stopping: false, replying: false, error: null });
    expect(view.latest().reply).toMatchObject({ status: 'STOPPED', stopReason: 'stop_requested', text: stored?.content });
    expect(stored?.status).toBe('STOPPED');
  }, 60_000);

  it('regenerates the last reply in its place, and follows the new one to its end', async () => {
    const client = connect();
    const { store, view } = await opened(client);
    const turn = await store.send('Name a colour [[standin:tokens=10]]');
    await until(() => view.latest().reply?.final === true, 'the first reply');

    const regenerated = await store.regenerate();
    await until(() => view.latest().reply?.messageId === regenerated?.id && view.latest().reply?.final === true, 'the new reply');

    const history = await client.api.listMessages(store.conversationId);
    view.stop();
    expect(view.latest().messages.map((m) => m.id)).toEqual([turn?.userMessage.id, regenerated?.id]);
    expect(history.items.map((m) => m.id).reverse()).toEqual([turn?.userMessage.id, regenerated?.id]);
    expect(view.latest().messages[1]).toMatchObject({ status: 'COMPLETE', content: history.items[0]?.content });
    expect(view.latest().regenerating).toBe(false);
  }, 60_000);

  it('reports a message sent while a reply is written as a Conflict, and keeps the messages as they were', async () => {
    const { store, view } = await opened(connect());
    await store.send('Write at length [[standin:tokens=1000]]');
    const before = view.latest().messages.map((m) => m.id);

    const refused = await store.send('And another thing');
    await store.stop();
    await until(() => view.latest().reply?.final === true, 'the reply to end', 30_000);

    view.stop();
    expect(refused).toBeNull();
    expect(view.latest().messages.map((m) => m.id)).toEqual(before);
    expect(view.snapshots.map((s) => s.error).find(Boolean)).toMatchObject({ name: 'ChatError', errorType: 'Conflict', action: 'send' });
  }, 60_000);

  it('reports a blank message as a ValidationError, and dismisses it', async () => {
    const { store, view } = await opened(connect());

    await store.send('   ');
    const failed = view.latest().error;
    store.dismissError();

    view.stop();
    expect(failed).toMatchObject({ errorType: 'ValidationError', action: 'send' });
    expect(view.latest().error).toBeNull();
  }, 30_000);

  it('reads older messages a page at a time, oldest first', async () => {
    const client = connect(ivy, { messagePageSize: 2 });
    const { store, view } = await opened(client);
    const first = await store.send('One [[standin:tokens=5]]');
    await until(() => view.latest().reply?.final === true, 'the first reply');
    const second = await store.send('Two [[standin:tokens=5]]');
    await until(() => view.latest().reply?.messageId === second?.reply.id && view.latest().reply?.final === true, 'the second reply');
    view.stop();
    store.close();

    const again = watch(store);
    await until(() => store.getSnapshot().status === 'ready', 'the conversation to open again');
    const newest = store.getSnapshot();
    await store.loadOlder();

    again.stop();
    const ids = (turn: typeof first) => [turn?.userMessage.id, turn?.reply.id];
    expect(newest.messages.map((m) => m.id)).toEqual(ids(second));
    expect(newest.hasOlder).toBe(true);
    expect(store.getSnapshot().messages.map((m) => m.id)).toEqual([...ids(first), ...ids(second)]);
  }, 60_000);

  it('subscribes with its first listener and ends the subscription once the last one has left', async () => {
    const client = connect();
    const created = await client.conversations.create();
    const store = client.conversation(created?.id ?? '');
    const before = p.sandbox.realtime.stats().subscriptions;

    const stopA = store.subscribe(() => undefined);
    const stopB = store.subscribe(() => undefined);
    await until(() => store.getSnapshot().status === 'ready', 'the conversation to open');
    const open = p.sandbox.realtime.stats().subscriptions;
    stopA();
    stopB();
    await until(() => p.sandbox.realtime.stats().subscriptions === before, 'the subscription to end');

    expect(client.conversation(created?.id ?? '')).toBe(store);
    expect(open).toBe(before + 1);
    expect(store.getSnapshot().status).toBe('idle');
  }, 30_000);

  it('says the connection was interrupted while it is down, and still ends with the stored reply', async () => {
    const client = connect();
    const { store, view } = await opened(client);
    const turn = await store.send('Tell me about rivers [[standin:tokens=400]]');
    await until(() => (view.latest().reply?.seq ?? 0) >= 3, 'the reply to stream');

    p.sandbox.realtime.close();
    await until(() => view.snapshots.some((s) => s.connection === 'interrupted') && view.latest().connection === 'connected', 'the connection to come back');
    await until(() => view.latest().reply?.final === true, 'the end of the reply', 60_000);

    const stored = await client.api.getMessage(store.conversationId, turn?.reply.id ?? '');
    view.stop();
    expect(view.latest().reply).toMatchObject({ status: 'COMPLETE', text: stored?.content, seq: stored?.seq });
    expect(growsOnly(textsOf(view.snapshots, turn?.reply.id ?? ''))).toBe(true);
  }, 90_000);
});

describe('the conversation list and usage', () => {
  it('reads the list a page at a time, newest first', async () => {
    const lu = await user(p.sandbox, 'lu@example.com');
    const setup = connect(lu);
    const made = [];
    for (const title of ['first', 'second', 'third']) made.push(await setup.conversations.create({ title }));
    const list = connect(lu, { conversationPageSize: 2 }).conversations;

    const stop = list.subscribe(() => undefined);
    await until(() => list.getSnapshot().status === 'ready', 'the first page');
    const firstPage = list.getSnapshot();
    await list.loadMore();

    stop();
    expect(firstPage.items.map((c) => c.title)).toEqual(['third', 'second']);
    expect(firstPage.hasMore).toBe(true);
    expect(list.getSnapshot().items.map((c) => c.id)).toEqual(made.reverse().map((c) => c?.id));
    expect(list.getSnapshot()).toMatchObject({ hasMore: false, loadingMore: false, error: null });
  }, 60_000);

  it('puts a new conversation first, moves one up when a message is sent in it, and takes its title', async () => {
    const mo = await user(p.sandbox, 'mo@example.com');
    const client = connect(mo);
    const list = client.conversations;
    const stop = list.subscribe(() => undefined);
    await until(() => list.getSnapshot().status === 'ready', 'the list');
    const older = await list.create();
    const newer = await list.create();
    const ordered = list.getSnapshot().items.map((c) => c.id);

    const store = client.conversation(older?.id ?? '');
    const view = watch(store);
    await store.send('Tell me about mountains and lakes [[standin:tokens=10]]');
    await until(() => view.latest().reply?.final === true, 'the reply');
    await until(() => list.getSnapshot().items[0]?.title !== null, 'the title');

    view.stop();
    stop();
    expect(ordered).toEqual([newer?.id, older?.id]);
    expect(list.getSnapshot().items.map((c) => c.id)).toEqual([older?.id, newer?.id]);
    expect(list.getSnapshot().items[0]).toMatchObject({ title: expect.stringContaining('Tell me about'), activeReplyId: null });
  }, 60_000);

  it('reads the usage again when a message is refused for the quota, and says so with QuotaExceeded', async () => {
    const spender = await user(p.sandbox, 'spender@example.com');
    const client = connect(spender);
    const { store, view } = await opened(client);
    client.usage.subscribe(() => undefined);
    await until(() => client.usage.getSnapshot().status === 'ready', 'today\'s usage');
    const table = p.sandbox.template.tables[0]?.tableName ?? '';
    const quota = client.usage.getSnapshot().usage?.quota ?? 0;
    await DynamoDBDocumentClient.from(p.sandbox.dynamodb.client).send(new PutCommand({
      TableName: table, Item: { pk: `USER#${spender.sub}`, sk: `USAGE#${new Date().toISOString().slice(0, 10)}`, inputTokens: quota, outputTokens: 0 },
    }));

    await store.send('One more, please');
    await until(() => client.usage.getSnapshot().usage?.remaining === 0, 'the usage read again');

    view.stop();
    expect(view.latest().error).toMatchObject({ errorType: 'QuotaExceeded', action: 'send' });
    expect(view.latest().messages).toEqual([]);
  }, 60_000);

  it('reports a list the API refuses with AppSync\'s errorType', async () => {
    const { urls } = p.sandbox;
    const client = ChatClient.connect({ graphqlUrl: urls.graphql, token: () => 'not-a-token' });

    await client.conversations.refresh();
    await client.usage.refresh();
    const created = await client.conversations.create();

    expect(client.conversations.getSnapshot()).toMatchObject({ status: 'error', items: [] });
    expect(client.conversations.getSnapshot().error).toMatchObject({ errorType: 'UnauthorizedException', action: 'create' });
    expect(client.usage.getSnapshot().error).toMatchObject({ errorType: 'UnauthorizedException', action: 'usage' });
    expect(created).toBeNull();
  }, 30_000);

  it('reports an endpoint that does not answer as a NetworkError', async () => {
    const client = ChatClient.connect({ graphqlUrl: 'http://127.0.0.1:9/graphql', token: () => 'token' });

    await client.conversations.refresh();

    expect(client.conversations.getSnapshot().error).toMatchObject({ errorType: 'NetworkError', action: 'list' });
  }, 30_000);

  it('reports a conversation that is not the user\'s, refused when subscribing, with AppSync\'s errorType', async () => {
    const store = connect().conversation('01JAAAAAAAAAAAAAAAAAAAAAAA');

    await store.open();

    expect(store.getSnapshot()).toMatchObject({ status: 'error', error: { errorType: 'Unauthorized', action: 'open' } });
  }, 30_000);
});

describe('the hooks, rendered on the server', () => {
  function Thread({ id }: { id: string | null }): ReactElement {
    const conversation = useConversation(id);
    const usage = useUsage();
    return h('section', { 'data-status': conversation.status, 'data-usage': usage.status },
      h('ol', {}, ...conversation.messages.map((m) => h('li', { key: m.id, 'data-role': m.role }, m.content))));
  }
  function List(): ReactElement {
    const list = useConversations();
    return h('ul', { 'data-status': list.status }, ...list.items.map((c) => h('li', { key: c.id }, c.title ?? 'Untitled')));
  }

  it('renders the messages a store holds, and reads or subscribes nothing itself', async () => {
    const client = connect();
    const { store, view } = await opened(client);
    const turn = await store.send('Hello from the server [[standin:tokens=5]]');
    await until(() => view.latest().reply?.final === true, 'the reply');
    view.stop();
    await until(() => store.getSnapshot().status === 'idle', 'the store to close');
    const subscriptions = p.sandbox.realtime.stats().subscriptions;

    const html = renderToString(h(ChatProvider, { client }, h(Thread, { id: store.conversationId })));

    expect(html).toContain('data-status="idle"');
    expect(html).toContain(`<li data-role="USER">${turn?.userMessage.content ?? ''}</li>`);
    expect(html).toContain('data-role="ASSISTANT"');
    expect(p.sandbox.realtime.stats().subscriptions).toBe(subscriptions);
    expect(client.usage.listenerCount).toBe(0);
  }, 60_000);

  it('builds its client from the kit\'s ChatApi and RealtimeClient, or from an endpoint and a token source', () => {
    const { urls } = p.sandbox;
    const kit = ChatClient.connect({ graphqlUrl: urls.graphql, token: () => ivy.accessToken });

    const fromKit = renderToString(h(ChatProvider, { api: kit.api, realtime: kit.realtime }, h(List), h(Thread, { id: null })));
    const fromUrl = renderToString(h(ChatProvider, { graphqlUrl: urls.graphql, token: () => ivy.accessToken }, h(List)));

    expect(fromKit).toBe('<ul data-status="idle"></ul><section data-status="idle" data-usage="idle"><ol></ol></section>');
    expect(fromUrl).toBe('<ul data-status="idle"></ul>');
  });

  it('says which provider a hook needs when there is none above it', () => {
    expect(() => renderToString(h(List))).toThrow('The chat hooks need a <ChatProvider> above them');
  });
});
