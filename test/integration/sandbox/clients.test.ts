// Real clients against the sandbox's real-time endpoint: aws-amplify v6 over wss (its only option)
// and Apollo Client with AWS's AppSync links, as a front end would use them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { signIn } from 'aws-amplify/auth';
import { AUTH_TYPE, createAuthLink } from 'aws-appsync-auth-link';
import { createSubscriptionHandshakeLink } from 'aws-appsync-subscription-link';
import { iamGraphql, signedInUser, startTestSandbox, type TestSandbox } from './start.ts';
import { installBrowserGlobals } from '../../support/browser-globals.ts';
import { until } from '../../support/until.ts';

let t: TestSandbox;
const ON_NOTE = 'subscription On($owner: String) { onNote(owner: $owner) { id owner text } }';
const SYSTEM_NOTE = 'mutation Sys($owner: String!, $text: String!) { systemNote(owner: $owner, text: $text) { id owner text } }';


beforeAll(async () => {
  t = await startTestSandbox();
  installBrowserGlobals(t.sandbox.certificatePath);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('aws-amplify v6', () => {
  it('signs in with SRP and receives a mutation on a subscription over wss', async () => {
    // Arrange
    const [pool] = [...t.sandbox.userPools.values()];
    await pool?.adminCreateUser({ username: 'amy@example.com', password: 'Passw0rd!', attributes: { email: 'amy@example.com', email_verified: 'true' } });
    Amplify.configure({
      Auth: { Cognito: { userPoolId: pool?.poolId ?? '', userPoolClientId: pool?.clientIds[0] ?? '', userPoolEndpoint: t.sandbox.urls.cognito } },
      API: { GraphQL: { endpoint: t.sandbox.urls.graphql, region: 'us-east-1', defaultAuthMode: 'userPool' } },
    });
    await signIn({ username: 'amy@example.com', password: 'Passw0rd!' });
    const client = generateClient();
    const created = (await client.graphql({ query: 'mutation { createNote(input: {text: "first"}) { id owner } }' })) as { data: { createNote: { owner: string } } };
    const owner = created.data.createNote.owner;
    const received: unknown[] = [];
    const before = t.sandbox.realtime.stats().subscriptions;

    // Act
    const events = client.graphql({ query: ON_NOTE, variables: { owner } }) as unknown as { subscribe(o: { next(e: unknown): void }): { unsubscribe(): void } };
    const subscription = events.subscribe({ next: (event: unknown) => received.push(event) });
    await until(() => t.sandbox.realtime.stats().subscriptions > before, 'Amplify\'s subscription to start');
    await client.graphql({ query: 'mutation { createNote(input: {text: "streamed"}) { id owner text } }' });
    await until(() => received.length > 0, 'the note on Amplify\'s subscription');
    subscription.unsubscribe();

    // Assert
    expect(received[0]).toMatchObject({ data: { onNote: { owner, text: 'streamed' } } });
  });
});

describe('Apollo Client with aws-appsync-auth-link and aws-appsync-subscription-link', () => {
  it('subscribes with a user pool token and receives a mutation', async () => {
    const user = await signedInUser(t.sandbox, 'apollo@example.com');
    const url = t.sandbox.urls.graphql;
    const auth = { type: AUTH_TYPE.AMAZON_COGNITO_USER_POOLS, jwtToken: user.accessToken } as const;
    const client = new ApolloClient({
      // The links are typed against Apollo's CommonJS build; at run time they are the same classes.
      link: ApolloLink.from([
        createAuthLink({ url, region: 'us-east-1', auth }) as unknown as ApolloLink,
        createSubscriptionHandshakeLink({ url, region: 'us-east-1', auth }, new HttpLink({ uri: url }) as never) as unknown as ApolloLink,
      ]),
      cache: new InMemoryCache(),
    });
    const received: unknown[] = [];
    const before = t.sandbox.realtime.stats().subscriptions;

    const subscription = client.subscribe({ query: gql(ON_NOTE), variables: { owner: 'apollo-owner' } }).subscribe({ next: (event: unknown) => received.push(event) });
    await until(() => t.sandbox.realtime.stats().subscriptions > before, 'Apollo\'s subscription to start');
    await iamGraphql(t.sandbox, SYSTEM_NOTE, { owner: 'apollo-owner', text: 'to apollo' });
    await until(() => received.length > 0, 'the note on Apollo\'s subscription');
    subscription.unsubscribe();
    client.stop();

    expect(received[0]).toMatchObject({ data: { onNote: { owner: 'apollo-owner', text: 'to apollo' } } });
  });
});
