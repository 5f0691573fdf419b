// A new user's first chat, with the client libraries a front end uses: sign-up, the emailed code
// (the sandbox logs it), SRP sign-in with amazon-cognito-identity-js, then aws-amplify v6 for the
// API: the reply arrives on its subscription over wss, ordered, DELTAs then DONE.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { signIn } from 'aws-amplify/auth';
import { CREATE_CONVERSATION, GET_MESSAGE, ON_REPLY, SEND, startProduct, type Product, type ReplyEvent } from './product.ts';
import { installBrowserGlobals } from '../support/browser-globals.ts';
import { until } from '../support/until.ts';

const HISTORY_BLOCKS = 'query H($c: ID!) { listMessages(conversationId: $c) { items { role content blocks { index type text citations { citedText } toolUseId name input status output isError } } } }';

let p: Product;

beforeAll(async () => {
  p = await startProduct({ claude: { tokensPerSecond: 400 } });
  installBrowserGlobals(p.sandbox.certificatePath);
}, 120_000);

afterAll(async () => {
  await p?.stop();
});


it('signs up, confirms, signs in with SRP and streams a first reply to an Amplify subscription', async () => {
  // Arrange: sign-up and confirmation with amazon-cognito-identity-js, the code read from the sandbox's log.
  const [pool] = [...p.sandbox.userPools.values()];
  const email = 'newcomer@example.com';
  const password = 'Passw0rd!';
  const userPool = new CognitoUserPool({ UserPoolId: pool?.poolId ?? '', ClientId: pool?.clientIds[0] ?? '', endpoint: p.sandbox.urls.cognito });
  await new Promise<void>((resolve, reject) => userPool.signUp(email, password, [new CognitoUserAttribute({ Name: 'email', Value: email })], [], (e) => (e ? reject(e) : resolve())));
  const code = p.logs.records.map((r) => /confirmation code for newcomer@example\.com: (\d{6})/.exec(r.message)?.[1]).find(Boolean) ?? '';
  const cognitoUser = new CognitoUser({ Username: email, Pool: userPool });
  await new Promise<void>((resolve, reject) => cognitoUser.confirmRegistration(code, false, (e: Error | null) => (e ? reject(e) : resolve())));
  await new Promise<void>((resolve, reject) => cognitoUser.authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: () => resolve(), onFailure: reject }));
  // Amplify v6, configured as a web app would be against the sandbox.
  Amplify.configure({
    Auth: { Cognito: { userPoolId: pool?.poolId ?? '', userPoolClientId: pool?.clientIds[0] ?? '', userPoolEndpoint: p.sandbox.urls.cognito } },
    API: { GraphQL: { endpoint: p.sandbox.urls.graphql, region: 'us-east-1', defaultAuthMode: 'userPool' } },
  });
  await signIn({ username: email, password });
  const client = generateClient();
  const created = (await client.graphql({ query: CREATE_CONVERSATION, variables: { input: {} } })) as { data: { createConversation: { id: string } } };
  const conversationId = created.data.createConversation.id;
  const received: ReplyEvent[] = [];
  const before = p.sandbox.realtime.stats().subscriptions;
  const stream = client.graphql({ query: ON_REPLY, variables: { c: conversationId } }) as unknown as { subscribe(o: { next(e: { data: { onReplyEvent: ReplyEvent } }): void }): { unsubscribe(): void } };
  const subscription = stream.subscribe({ next: (event) => received.push(event.data.onReplyEvent) });
  await until(() => p.sandbox.realtime.stats().subscriptions > before, 'the subscription to start');

  // Act
  const sent = (await client.graphql({ query: SEND, variables: { input: { conversationId, content: 'Hello, Claude!', clientMessageId: randomUUID() } } })) as { data: { sendMessage: { reply: { id: string } } } };
  const replyId = sent.data.sendMessage.reply.id;
  await until(() => received.some((e) => e.messageId === replyId && e.type === 'DONE'), 'DONE on the Amplify subscription');
  subscription.unsubscribe();

  // Assert
  const reply = received.filter((e) => e.messageId === replyId);
  expect(reply.map((e) => e.seq)).toEqual(reply.map((_, i) => i + 1));
  expect(reply.at(-1)).toMatchObject({ type: 'DONE', status: 'COMPLETE' });
  expect(reply.filter((e) => e.type === 'DELTA').length).toBeGreaterThan(0);
  const message = (await client.graphql({ query: GET_MESSAGE, variables: { c: conversationId, id: replyId } })) as { data: { getMessage: { content: string; status: string } } };
  expect(message.data.getMessage).toMatchObject({ status: 'COMPLETE', content: reply.filter((e) => e.type === 'DELTA').map((e) => e.text).join('') });
  // Both messages as content blocks: today one TEXT block each, holding the message's text (schema.graphql, Message.blocks).
  const history = (await client.graphql({ query: HISTORY_BLOCKS, variables: { c: conversationId } })) as { data: { listMessages: { items: { role: string; content: string; blocks: unknown[] }[] } } };
  expect(history.data.listMessages.items).toStrictEqual([
    { role: 'ASSISTANT', content: message.data.getMessage.content, blocks: [{ index: 0, type: 'TEXT', text: message.data.getMessage.content, citations: null, toolUseId: null, name: null, input: null, status: null, output: null, isError: null }] },
    { role: 'USER', content: 'Hello, Claude!', blocks: [{ index: 0, type: 'TEXT', text: 'Hello, Claude!', citations: null, toolUseId: null, name: null, input: null, status: null, output: null, isError: null }] },
  ]);
});
