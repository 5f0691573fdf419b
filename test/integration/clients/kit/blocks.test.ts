// The kit with content blocks against the product's sandbox: a client tool answered with ChatApi.submitToolResult, the
// reply followed by the feed through its pause and its resumption, and thinking on a conversation that asked for it.
// The assembled state ends equal to the stored message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConversationFeed, type ChatApi, type RealtimeClient, type ReplyState } from '../../../../clients/kit/index.ts';
import { kitFor, startProduct, user, type Product, type User } from '../../../e2e/product.ts';
import { until } from '../../../support/until.ts';

let p: Product;
let ivy: User;

beforeAll(async () => {
  p = await startProduct();
  ivy = await user(p.sandbox, 'ivy@example.com');
}, 120_000);

afterAll(async () => {
  await p?.stop();
}, 90_000);

const kit = (): { api: ChatApi; realtime: RealtimeClient } => kitFor(p.sandbox, ivy);

describe('the kit with content blocks', () => {
  it('follows a reply through a client tool\'s call, answered with submitToolResult, to the stored end', async () => {
    const { api, realtime } = kit();
    let latest: ReplyState | undefined;
    const conversation = await api.createConversation();
    const feed = new ConversationFeed({ realtime, api, conversationId: conversation.id, onReply: (state) => (latest = state) });
    await feed.ready;
    const tool = { name: 'get_theme', description: 'The colour theme the user chose in this app.', inputSchema: { type: 'object', properties: {} } };

    const turn = await api.sendMessage(conversation.id, 'Which theme do I use? [[standin:tool=get_theme {}]]', undefined, [tool]);
    latest = feed.follow(turn.reply);
    await until(() => latest?.status === 'AWAITING_TOOL_RESULT', 'the reply to wait for the tool');
    const waiting = latest;
    const call = waiting?.blocks.find((block) => block.type === 'TOOL_USE');
    await api.submitToolResult(turn.reply, call?.toolUseId ?? '', { theme: 'dark' });
    await until(() => latest?.final === true, 'the end of the reply', 30_000);

    const stored = await api.getMessage(conversation.id, turn.reply.id);
    feed.close();
    realtime.close();
    expect(waiting?.final).toBe(false);
    expect(call).toMatchObject({ name: 'get_theme', status: 'AWAITING_RESULT' });
    expect(latest).toMatchObject({ status: 'COMPLETE', seq: stored?.seq, text: stored?.content });
    expect(latest?.blocks).toEqual(stored?.blocks);
    expect(stored?.blocks.map((block) => block.type)).toEqual(['TEXT', 'TOOL_USE', 'TOOL_RESULT', 'TEXT']);
    expect(stored?.content).toContain('dark');
  }, 60_000);

  it('shows thinking on a conversation created with a thinking budget, kept apart from the text', async () => {
    const { api, realtime } = kit();
    let latest: ReplyState | undefined;
    const conversation = await api.createConversation({ thinkingBudgetTokens: 1024 });
    const feed = new ConversationFeed({ realtime, api, conversationId: conversation.id, onReply: (state) => (latest = state) });
    await feed.ready;

    const turn = await api.sendMessage(conversation.id, 'Think it over. [[standin:think]]');
    latest = feed.follow(turn.reply);
    await until(() => latest?.final === true, 'the end of the reply', 30_000);

    const stored = await api.getMessage(conversation.id, turn.reply.id);
    feed.close();
    realtime.close();
    expect(conversation.thinkingBudgetTokens).toBe(1024);
    expect(latest?.blocks[0]).toMatchObject({ type: 'THINKING', text: expect.stringMatching(/\S/) });
    expect(latest?.text).toBe(stored?.content);
    expect(latest?.text).not.toContain(latest?.blocks[0]?.text ?? '');
    expect(latest?.blocks).toEqual(stored?.blocks);
  }, 60_000);
});
