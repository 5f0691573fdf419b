// Signing out everywhere (endAllDeviceSessions) mid-reply: the user's reply subscriptions opened before it are
// ended by AppSync's subscription invalidation and receive none of the rest of the reply, which still streams to
// its end and is stored. A raw ws client sees the `complete`; aws-amplify v6, which does not surface it, stops
// receiving.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { signIn } from 'aws-amplify/auth';
import { api, CREATE_CONVERSATION, conversation, ended, events, ON_REPLY, SEND, send, startProduct, subscribe, user, type Product, type ReplyEvent, type User } from './product.ts';
import { messageSk, messagesPk } from '../../resolvers/keys.ts';
import type { RawClient } from '../integration/sandbox/ws-client.ts';
import { installBrowserGlobals } from '../support/browser-globals.ts';
import { until } from '../support/until.ts';

let p: Product;
let ana: User;
let bo: User;
const sockets: RawClient[] = [];
const SIGN_OUT = 'mutation { endAllDeviceSessions { signedOut } }';
// Long enough, at the stand-in's pace, to be still streaming when the sign-out lands after the first DELTA.
const LONG = 'Tell me a long story. [[standin:tokens=300]]';

beforeAll(async () => {
  p = await startProduct({ claude: { tokensPerSecond: 60 } });
  installBrowserGlobals(p.sandbox.certificatePath);
  ana = await user(p.sandbox, 'ana@example.com');
  bo = await user(p.sandbox, 'bo@example.com');
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await p?.stop();
});

/** The stored reply, read from the table directly (the user's token is revoked by then). */
async function storedStatus(owner: string, conversationId: string, replyId: string): Promise<unknown> {
  const item = await DynamoDBDocumentClient.from(p.sandbox.dynamodb.client).send(new GetCommand({
    TableName: p.sandbox.template.tables[0]?.tableName ?? '', Key: { pk: messagesPk(owner, conversationId), sk: messageSk(replyId) },
  }));
  return item.Item?.status;
}

describe('signing out everywhere', () => {
  it('ends the reply subscriptions of each of the user\'s connections mid-reply, and no other user\'s', async () => {
    // Arrange
    const c = await conversation(p.sandbox, ana);
    const laptop = await subscribe(p.sandbox, ana, c);
    const phone = await subscribe(p.sandbox, ana, c);
    const bosConversation = await conversation(p.sandbox, bo);
    const bos = await subscribe(p.sandbox, bo, bosConversation);
    sockets.push(laptop, phone, bos);
    const turn = await send(p.sandbox, ana, c, LONG);
    await laptop.waitFor(() => events(laptop).some((e) => e.type === 'DELTA'), 'the reply\'s first DELTA');

    // Act
    const signedOut = await api(p.sandbox, ana)(SIGN_OUT);
    const completes = await Promise.all([laptop, phone].map((s) => s.waitFor((f) => f.type === 'complete', 'complete after the sign-out')));
    await p.sandbox.lambda.awaitIdle();
    const bosTurn = await send(p.sandbox, bo, bosConversation, 'Still there? [[standin:tokens=5]]');
    const bosDone = await ended(bos, bosTurn.reply.id);

    // Assert
    expect(signedOut.body.data).toEqual({ endAllDeviceSessions: { signedOut: true } });
    expect(completes).toEqual([{ type: 'complete', id: 'reply' }, { type: 'complete', id: 'reply' }]);
    for (const s of [laptop, phone]) {
      expect(s.frames.slice(s.frames.findIndex((f) => f.type === 'complete') + 1).filter((f) => f.type === 'data')).toEqual([]);
      expect(events(s).map((e) => e.type)).not.toContain('DONE');
    }
    expect(await storedStatus(ana.sub, c, turn.reply.id)).toBe('COMPLETE');
    expect(bosDone).toMatchObject({ type: 'DONE', owner: bo.sub });
  });

  it('stops an aws-amplify v6 subscription opened before the sign-out: none of the rest of the reply reaches it', async () => {
    // Arrange: Amplify signed in with SRP, subscribed, a long reply streaming.
    const [pool] = [...p.sandbox.userPools.values()];
    await pool?.adminCreateUser({ username: 'cy@example.com', password: 'Passw0rd!', attributes: { email: 'cy@example.com', email_verified: 'true' } });
    Amplify.configure({
      Auth: { Cognito: { userPoolId: pool?.poolId ?? '', userPoolClientId: pool?.clientIds[0] ?? '', userPoolEndpoint: p.sandbox.urls.cognito } },
      API: { GraphQL: { endpoint: p.sandbox.urls.graphql, region: 'us-east-1', defaultAuthMode: 'userPool' } },
    });
    const { isSignedIn } = await signIn({ username: 'cy@example.com', password: 'Passw0rd!' });
    const client = generateClient();
    const created = (await client.graphql({ query: CREATE_CONVERSATION, variables: { input: {} } })) as { data: { createConversation: { id: string } } };
    const c = created.data.createConversation.id;
    const received: ReplyEvent[] = [];
    const before = p.sandbox.realtime.stats().subscriptions;
    const stream = client.graphql({ query: ON_REPLY, variables: { c } }) as unknown as { subscribe(o: { next(e: { data: { onReplyEvent: ReplyEvent } }): void }): { unsubscribe(): void } };
    const subscription = stream.subscribe({ next: (event) => received.push(event.data.onReplyEvent) });
    await until(() => p.sandbox.realtime.stats().subscriptions > before, 'Amplify\'s subscription to start');
    const sent = (await client.graphql({ query: SEND, variables: { input: { conversationId: c, content: LONG, clientMessageId: 'amplify-sign-out-1' } } })) as { data: { sendMessage: { reply: { id: string } } } };
    const replyId = sent.data.sendMessage.reply.id;
    await until(() => received.some((e) => e.type === 'DELTA'), 'the reply\'s first DELTA on Amplify\'s subscription');
    const owner = received[0]?.owner ?? '';

    // Act
    const signedOut = (await client.graphql({ query: SIGN_OUT })) as { data: unknown };
    await until(() => p.sandbox.realtime.stats().subscriptions === before, 'the server to end Amplify\'s subscription');
    await p.sandbox.lambda.awaitIdle();
    subscription.unsubscribe();

    // Assert
    expect(isSignedIn).toBe(true);
    expect(signedOut.data).toEqual({ endAllDeviceSessions: { signedOut: true } });
    expect(received.map((e) => e.type)).not.toContain('DONE');
    expect(await storedStatus(owner, c, replyId)).toBe('COMPLETE');
  });
});
