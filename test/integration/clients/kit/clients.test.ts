// The kit's typed documents and sign-in adapters with the client libraries front ends use, against the product's
// sandbox: the generated documents run as they are through Apollo Client 4 and Amplify v6's generateClient, and
// ChatApi's token comes from Amplify's fetchAuthSession or from an amazon-cognito-identity-js CognitoUser, refreshed
// by the library once the session's tokens have expired.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DocumentNode } from 'graphql';
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { generateClient, type Client, type GraphQLQuery } from 'aws-amplify/api';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import {
  amplifyQuery, amplifyTokenSource, ChatApi, cognitoUserTokenSource, GetMessageDocument, graphqlClient, ListConversationsDocument, TokenSourceError,
  type GetMessageQuery, type GetMessageQueryVariables, type ListConversationsQuery, type Message, type TokenSource,
} from '../../../../clients/kit/index.ts';
import { startProduct, user, type Product, type User } from '../../../e2e/product.ts';
import { installBrowserGlobals } from '../../../support/browser-globals.ts';
import { until } from '../../../support/until.ts';
import { shortenSession } from './short-lived-session.ts';

const PASSWORD = 'Passw0rd!';
let p: Product;
let stateDir: string;
let ida: User;

beforeAll(async () => {
  // persist: the sandbox's Cognito keeps its users and sessions in a file, which short-lived-session.ts reads.
  stateDir = mkdtempSync(join(tmpdir(), 'kit-clients-'));
  p = await startProduct({ persist: true, stateDir });
  installBrowserGlobals(p.sandbox.certificatePath);
  ida = await user(p.sandbox, 'ida@example.com', PASSWORD);
}, 120_000);

afterAll(async () => {
  await p?.sandbox.lambda.awaitIdle();
  await p?.stop();
  rmSync(stateDir, { recursive: true, force: true });
}, 90_000);

const kitApi = (token: TokenSource): ChatApi => new ChatApi(graphqlClient({ url: p.sandbox.urls.graphql, token }).request);

/** The data without the __typename fields Apollo adds to every selection. */
const withoutTypenames = <T>(value: T): T => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '__typename' ? undefined : v))) as T;

/** A conversation with one turn, made through the kit; its user message as the kit read it back. */
async function conversationWithMessage(api: ChatApi, title: string): Promise<Message> {
  const conversation = await api.createConversation({ title });
  const turn = await api.sendMessage(conversation.id, `Hello from ${title} [[standin:tokens=3]]`);
  // The reply's end changes the conversation (activeReplyId, messageCount): wait for it, so that reads agree.
  await p.sandbox.lambda.awaitIdle();
  return turn.userMessage;
}

/** What a token source gives, or the error it throws. */
const attempt = (token: TokenSource): Promise<unknown> => Promise.resolve().then(token).catch((error: unknown) => error);

/**
 * A document as Amplify's types name it. Amplify v6 types documents with the graphql 15 that @aws-amplify/api-graphql
 * pins as its own dependency: a graphql 16 DocumentNode (the kit's, Apollo's gql) is an object Amplify prints as it is
 * (its InternalGraphQLAPI calls print on it), but another type. The cast changes the type, not the value.
 */
type AmplifyDocument = Exclude<Parameters<Client['graphql']>[0]['query'], string>;
const amplifyDocument = (document: DocumentNode): AmplifyDocument => document as unknown as AmplifyDocument;

/** amazon-cognito-identity-js's SRP sign-in against the sandbox's Cognito, as a web app does. */
async function cognitoUser(email: string): Promise<CognitoUser> {
  const [pool] = [...p.sandbox.userPools.values()];
  await pool?.adminCreateUser({ username: email, password: PASSWORD, attributes: { email, email_verified: 'true' } });
  const userPool = new CognitoUserPool({ UserPoolId: pool?.poolId ?? '', ClientId: pool?.clientIds[0] ?? '', endpoint: p.sandbox.urls.cognito });
  const signedIn = new CognitoUser({ Username: email, Pool: userPool });
  await new Promise<void>((resolve, reject) => signedIn.authenticateUser(new AuthenticationDetails({ Username: email, Password: PASSWORD }), { onSuccess: () => resolve(), onFailure: reject }));
  return signedIn;
}

function configureAmplify(): void {
  const [pool] = [...p.sandbox.userPools.values()];
  Amplify.configure({
    Auth: { Cognito: { userPoolId: pool?.poolId ?? '', userPoolClientId: pool?.clientIds[0] ?? '', userPoolEndpoint: p.sandbox.urls.cognito } },
    API: { GraphQL: { endpoint: p.sandbox.urls.graphql, region: 'us-east-1', defaultAuthMode: 'userPool' } },
  });
}

/** The errorType with which the API refuses a request with `token`, or null when it answers. */
async function refusal(token: string): Promise<string | null> {
  return kitApi(() => token).listConversations().then(() => null, (error: unknown) => (error as { errorType?: string }).errorType ?? String(error));
}

describe('the typed documents in other clients', () => {
  it('run through Apollo Client 4 as they are, with typed data equal to what the kit reads', async () => {
    // Arrange
    const api = kitApi(() => ida.accessToken);
    const sent = await conversationWithMessage(api, 'apollo');
    const apollo = new ApolloClient({ link: new HttpLink({ uri: p.sandbox.urls.graphql, headers: { authorization: ida.accessToken } }), cache: new InMemoryCache() });
    const variables: GetMessageQueryVariables = { conversationId: sent.conversationId, id: sent.id };

    // Act
    const message = await apollo.query({ query: GetMessageDocument, variables, fetchPolicy: 'network-only' });
    const conversations = await apollo.query({ query: ListConversationsDocument, variables: { limit: 10 }, fetchPolicy: 'network-only' });
    apollo.stop();

    // Assert: the data's types are the documents' (a wrong field would not compile), and so are the values.
    const read: GetMessageQuery['getMessage'] | undefined = message.data?.getMessage;
    const listed: ListConversationsQuery['listConversations'] | undefined = conversations.data?.listConversations;
    expect(withoutTypenames(read)).toEqual(sent);
    expect(read?.blocks[0]?.text).toBe(sent.content);
    expect(listed?.items.map((c) => c.title)).toContain('apollo');
    expect(withoutTypenames(listed)).toEqual(await api.listConversations({ limit: 10 }));
  });

  it('run through Amplify v6\'s generateClient().graphql as they are, with typed data equal to what the kit reads', async () => {
    // Arrange
    configureAmplify();
    await signIn({ username: ida.email, password: PASSWORD });
    const api = kitApi(() => ida.accessToken);
    const sent = await conversationWithMessage(api, 'amplify');
    const client = generateClient();

    // Act: Amplify infers no type from a document object; its type parameter names the document's result.
    const message = await client.graphql<GraphQLQuery<GetMessageQuery>>({
      query: amplifyDocument(GetMessageDocument), variables: { conversationId: sent.conversationId, id: sent.id } satisfies GetMessageQueryVariables,
    });
    const conversations = await client.graphql<GraphQLQuery<ListConversationsQuery>>({ query: amplifyDocument(ListConversationsDocument), variables: { limit: 10 } });
    // The kit's branded strings: Amplify infers the variables and the result, no type parameter, no cast.
    const branded = await client.graphql({ query: amplifyQuery(GetMessageDocument), variables: { conversationId: sent.conversationId, id: sent.id } });
    const brandedContent: string | undefined = branded.data.getMessage?.content;
    await signOut();

    // Assert
    expect(message.errors).toBeUndefined();
    expect(message.data.getMessage).toEqual(sent);
    expect(branded.data.getMessage).toEqual(sent);
    expect(brandedContent).toBe(sent.content);
    expect(conversations.data.listConversations.items.map((c) => c.title)).toEqual(expect.arrayContaining(['amplify', 'apollo']));
    expect(conversations.data.listConversations).toEqual(await api.listConversations({ limit: 10 }));
  });
});

describe('the sign-in adapters', () => {
  it('give ChatApi the access token of the user signed in with Amplify, and refuse once signed out', async () => {
    // Arrange
    configureAmplify();
    await signIn({ username: 'ida@example.com', password: PASSWORD });
    const token = amplifyTokenSource(fetchAuthSession);
    const api = kitApi(token);

    // Act
    const created = await api.createConversation({ title: 'through Amplify' });
    const listed = await api.listConversations();
    const signedInToken = await token();
    await signOut();
    const afterSignOut = await attempt(token);

    // Assert: the conversation is Ida's (the same as her own sign-in lists), and the token is the raw access token.
    expect(listed.items.map((c) => c.id)).toContain(created.id);
    expect((await kitApi(() => ida.accessToken).listConversations()).items.map((c) => c.id)).toContain(created.id);
    expect(JSON.parse(Buffer.from(signedInToken.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({ token_use: 'access', username: expect.any(String) });
    expect(afterSignOut).toBeInstanceOf(TokenSourceError);
    expect(afterSignOut).toMatchObject({ errorType: 'NotSignedIn' });
  });

  it('give ChatApi the access token of a CognitoUser signed in with amazon-cognito-identity-js', async () => {
    // Arrange
    const signedIn = await cognitoUser('jo@example.com');
    const api = kitApi(cognitoUserTokenSource(signedIn));

    // Act
    const created = await api.createConversation({ title: 'through identity-js' });
    const listed = await api.listConversations();

    // Assert
    expect(listed.items.map((c) => [c.id, c.title])).toEqual([[created.id, 'through identity-js']]);
  });

  it('hand a refreshed token once the CognitoUser\'s access token has expired, for the same user', async () => {
    // Arrange: Kim's session replaced by one whose tokens expire in 3 s; a conversation made while it is valid.
    const signedIn = await cognitoUser('kim@example.com');
    const short = await shortenSession(p.sandbox, stateDir, signedIn, 3);
    const token = cognitoUserTokenSource(signedIn);
    const api = kitApi(token);
    const before = await token();
    const created = await api.createConversation({ title: 'before expiry' });
    await until(() => Date.now() >= short.expiresAt, 'the short-lived access token to expire', 10_000);

    // Act
    const after = await token();
    const listed = await api.listConversations();

    // Assert: the old token is refused now; the new one is another token of Kim's session.
    expect(before).toBe(short.accessToken);
    expect(await refusal(short.accessToken)).toBe('UnauthorizedException');
    expect(after).not.toBe(before);
    expect(await refusal(after)).toBeNull();
    expect(listed.items.map((c) => c.id)).toEqual([created.id]);
  });

  it('refuse with Cognito\'s error when the session cannot be refreshed, and NotSignedIn before any sign-in', async () => {
    // Arrange: Lee's sessions ended by the admin API while her client still holds them, then her tokens expired; and a
    // user never signed in on this client.
    const signedIn = await cognitoUser('lee@example.com');
    const short = await shortenSession(p.sandbox, stateDir, signedIn, 1);
    const [pool] = [...p.sandbox.userPools.values()];
    await pool?.handle('AWSCognitoIdentityProviderService.AdminUserGlobalSignOut', { UserPoolId: pool.poolId, Username: 'lee@example.com' });
    await until(() => Date.now() >= short.expiresAt, 'the short-lived access token to expire', 10_000);
    const stranger = new CognitoUser({ Username: 'nobody@example.com', Pool: new CognitoUserPool({ UserPoolId: pool?.poolId ?? '', ClientId: pool?.clientIds[0] ?? '', endpoint: p.sandbox.urls.cognito }) });

    // Act
    const revoked = await attempt(cognitoUserTokenSource(signedIn));
    const never = await attempt(cognitoUserTokenSource(stranger));

    // Assert
    expect(revoked).toBeInstanceOf(TokenSourceError);
    expect(revoked).toMatchObject({ errorType: 'NotAuthorizedException' });
    expect(never).toBeInstanceOf(TokenSourceError);
    expect(never).toMatchObject({ errorType: 'NotSignedIn' });
  });
});
