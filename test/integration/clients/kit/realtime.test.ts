// The kit against the product's sandbox: a reply followed over the kit's real-time client, the connection cut
// mid-reply (the sandbox's real-time hub closes every socket), the client reconnecting and subscribing again, and the
// assembled text equal to the stored message's content in the end.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConversationFeed, RealtimeClient, type ChatApi, type ConnectionStatus, type ReplyState } from '../../../../clients/kit/index.ts';
import { kitFor, startProduct, user, type Product, type User } from '../../../e2e/product.ts';
import { until } from '../../../support/until.ts';

let p: Product;
let ivy: User;

beforeAll(async () => {
  // 100 tokens a second: a reply of 600 tokens streams for several seconds, across checkpoints.
  p = await startProduct({ claude: { tokensPerSecond: 100 } });
  ivy = await user(p.sandbox, 'ivy@example.com');
}, 120_000);

afterAll(async () => {
  await p?.stop();
}, 90_000);

const kit = (statuses: ConnectionStatus[] = []): { api: ChatApi; realtime: RealtimeClient } => kitFor(p.sandbox, ivy, { backoff: { initialMs: 50, maxMs: 400 }, onStatus: (s) => statuses.push(s) });

describe('the kit\'s real-time client and reply assembler', () => {
  it('follows a reply across a cut connection and ends with the stored text, nothing lost or shown twice', async () => {
    // Arrange
    const statuses: ConnectionStatus[] = [];
    const { api, realtime } = kit(statuses);
    const connection: string[] = [];
    let latest: ReplyState | undefined;
    const conversation = await api.createConversation();
    const feed = new ConversationFeed({
      realtime, api, conversationId: conversation.id, assembler: { gapTimeoutMs: 500 },
      onReply: (state) => (latest = state), onConnection: (state) => connection.push(state),
    });
    await feed.ready;
    const turn = await api.sendMessage(conversation.id, 'Tell me about the sea [[standin:tokens=600]]');
    latest = feed.follow(turn.reply);
    await until(() => (latest?.seq ?? 0) >= 3 && latest?.final === false, 'the reply to be streaming');

    // Act: every real-time socket closes, as a network cut would end it.
    p.sandbox.realtime.close();
    await until(() => connection.includes('resumed'), 'the client to reconnect and subscribe again');
    await until(() => latest?.final === true, 'the end of the reply', 60_000);

    // Assert
    const stored = await api.getMessage(conversation.id, turn.reply.id);
    feed.close();
    realtime.close();
    expect(connection).toEqual(['interrupted', 'resumed']);
    expect(statuses).toEqual(expect.arrayContaining(['connecting', 'open', 'reconnecting', 'closed']));
    expect(latest).toMatchObject({ status: 'COMPLETE', seq: stored?.seq, text: stored?.content });
    expect(latest?.text.length).toBeGreaterThan(100);
    expect(latest?.blocks).toEqual(stored?.blocks);
  }, 90_000);

  it('rejects a subscription AppSync refuses, with its errorType, and closes when none is left', async () => {
    const statuses: ConnectionStatus[] = [];
    const { realtime } = kit(statuses);
    const errors: string[] = [];

    const subscription = realtime.subscribe({ query: 'subscription { onReplyEvent(conversationId: "c") { nope } }' }, { next: () => undefined, error: (e) => errors.push(e.errorType), complete: () => undefined });

    await expect(subscription.ready).rejects.toMatchObject({ name: 'RealtimeError' });
    expect(errors).toEqual([expect.any(String)]);
    expect(statuses).toEqual(['connecting', 'open', 'closed']);
  }, 30_000);

  it('fails its subscriptions when the token is refused at connection_init, without reconnecting', async () => {
    const statuses: ConnectionStatus[] = [];
    const realtime = new RealtimeClient({ graphqlUrl: p.sandbox.urls.graphql, token: () => 'not-a-token', onStatus: (s) => statuses.push(s) });
    const errors: string[] = [];

    const subscription = realtime.subscribe({ query: 'subscription { onReplyEvent(conversationId: "c") { seq } }' }, { next: () => undefined, error: (e) => errors.push(e.errorType), complete: () => undefined });

    await expect(subscription.ready).rejects.toMatchObject({ errorType: 'UnauthorizedException' });
    expect(errors).toEqual(['UnauthorizedException']);
    expect(statuses).not.toContain('reconnecting');
  }, 30_000);
});
