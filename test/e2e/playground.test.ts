// The playground page in headless Chromium against the product's sandbox: sign in with SRP, stream a reply,
// stop it, see it end STOPPED; GraphiQL's docs come from introspection with the user's token.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ChatApi, graphqlClient, OnReplyEventDocument, printDocument, RealtimeClient, type ExecutionPayload, type ReplyEvent } from '../../clients/kit/index.ts';
import { signIn } from '../../clients/playground/auth.ts';
import { launchChromium, pageProblems } from './browser.ts';
import { api, conversation, GET_MESSAGE, send, startProduct, user, type Product, type User } from './product.ts';

const EMAIL = 'playground@example.com';
const PASSWORD = 'Passw0rd!';
const WAIT = { timeout: 20_000 };

let browser: Browser;
let product: Product;
let context: BrowserContext;
let who: User;

beforeAll(async () => {
  browser = await launchChromium();
  // 50 tokens a second: a long reply streams for several seconds, long enough to watch and stop.
  product = await startProduct({ claude: { tokensPerSecond: 50 } });
  // Created with the pool's adminCreateUser; the tokens let the test read back what the page did.
  who = await user(product.sandbox, EMAIL, PASSWORD);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

async function signedInPage(path = '/'): Promise<{ page: Page; problems: string[] }> {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = pageProblems(page);
  await page.goto(`${product.sandbox.urls.base}${path}`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${EMAIL}`).waitFor(WAIT);
  return { page, problems };
}

const replyText = (page: Page): Promise<string> => page.locator('.message.assistant .content').last().innerText();

describe('the playground page', () => {
  it('streams a reply, stops it, and shows it STOPPED with its text kept', async () => {
    const { page, problems } = await signedInPage();

    await page.getByRole('textbox', { name: 'Message' }).fill('Tell me a long story [[standin:tokens=600]]');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.message.assistant').last();
    await reply.locator('.status', { hasText: 'STREAMING' }).waitFor(WAIT);
    await page.waitForFunction(() => (document.querySelector('.message.assistant:last-child .content')?.textContent ?? '').length > 0, null, WAIT);
    const first = (await replyText(page)).length;
    await page.waitForFunction((seen) => (document.querySelector('.message.assistant:last-child .content')?.textContent ?? '').length > seen, first, WAIT);
    const stop = page.getByRole('button', { name: 'Stop' });
    await stop.click();
    await page.locator('.message.assistant[data-status="STOPPED"]').waitFor(WAIT);
    await page.screenshot({ path: '/tmp/playground.png' });

    const shown = await replyText(page);
    const conversationId = await page.locator('.conversation-list [aria-current="true"]').getAttribute('data-conversation-id');
    const messageId = await reply.getAttribute('data-message-id');
    const stored = await api(product.sandbox, who)(GET_MESSAGE, { c: conversationId, id: messageId });
    expect(shown.length).toBeGreaterThan(first);
    expect(await reply.locator('.status').innerText()).toBe('STOPPED');
    expect(await stop.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(false);
    expect(stored.body.data?.getMessage).toMatchObject({ status: 'STOPPED', content: shown });
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows a tool call with its input and result, folded above the reply\'s text', async () => {
    const { page, problems } = await signedInPage();

    await page.getByRole('textbox', { name: 'Message' }).fill('What time is it in Tokyo? [[standin:tool=current_time {"timeZone":"Asia/Tokyo"}]]');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.locator('.message.assistant').last();
    await reply.locator('.tool[data-tool-status="COMPLETE"]').waitFor(WAIT);
    await page.locator('.message.assistant[data-status="COMPLETE"]').last().waitFor(WAIT);
    await reply.locator('.tool summary').click();

    expect(await reply.locator('.tool summary').innerText()).toBe('Tool current_time COMPLETE');
    expect(JSON.parse(await reply.locator('.tool-input').innerText())).toEqual({ timeZone: 'Asia/Tokyo' });
    expect(JSON.parse(await reply.locator('.tool-output').innerText())).toMatchObject({ timeZone: 'Asia/Tokyo' });
    expect(await replyText(page)).toContain('Tool current_time returned:');
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows the schema docs in GraphiQL, introspected with the user\'s token', async () => {
    const { page, problems } = await signedInPage('/playground');

    await page.getByRole('tab', { name: 'GraphiQL' }).click();
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Mutation', { exact: true }).click();

    await page.locator('.graphiql-doc-explorer').getByText('sendMessage', { exact: true }).waitFor(WAIT);
    await page.screenshot({ path: '/tmp/playground-graphiql.png' });
    expect(await page.locator('.graphiql-doc-explorer').innerText()).toContain('stopReply');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('runs a subscription in GraphiQL over the real-time endpoint and shows its events', async () => {
    const conversationId = await conversation(product.sandbox, who);
    const { page, problems } = await signedInPage();
    await page.getByRole('tab', { name: 'GraphiQL' }).click();
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(`subscription Watch { onReplyEvent(conversationId: "${conversationId}") { seq type status } }`);
    // GraphiQL names the tab after the one operation left: the editor holds only the subscription now.
    await page.locator('.graphiql-tab', { hasText: 'Watch' }).waitFor(WAIT);

    const socket = page.waitForEvent('websocket', WAIT);
    await page.getByRole('button', { name: /^Execute query/ }).click();
    await (await socket).waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"start_ack"'), ...WAIT });
    await send(product.sandbox, who, conversationId, 'Hello [[standin:tokens=20]]');

    await page.locator('.result-window').getByText('"DONE"').waitFor(WAIT);
    expect(await page.locator('.result-window').innerText()).toContain('"COMPLETE"');
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});

// The page's own sign-in and the kit it is built on, run in Node (Node 22's WebSocket): the same code the browser runs.
describe('the playground\'s clients', () => {
  const clients = async (): Promise<{ api: ChatApi; realtime: RealtimeClient }> => {
    const { urls, userPools } = product.sandbox;
    const [pool] = [...userPools.values()];
    const session = await signIn({ graphqlUrl: urls.graphql, realtimeUrl: urls.realtime, cognitoEndpoint: urls.cognito, userPoolId: pool?.poolId ?? '', clientId: pool?.clientIds[0] ?? '', region: 'us-east-1', defaultEmail: '' }, EMAIL, PASSWORD);
    const token = (): Promise<string> => session.accessToken();
    return { api: new ChatApi(graphqlClient({ url: urls.graphql, token }).request), realtime: new RealtimeClient({ graphqlUrl: urls.graphql, realtimeUrl: urls.realtime, token }) };
  };

  it('streams a reply\'s events in order to a subscription started before sending', async () => {
    const { api, realtime } = await clients();
    const created = await api.createConversation();
    const events: ReplyEvent[] = [];
    let ended: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const subscription = realtime.subscribe({ query: printDocument(OnReplyEventDocument), variables: { conversationId: created.id } }, {
      next: (payload: ExecutionPayload) => {
        const event = (payload.data as { onReplyEvent: ReplyEvent }).onReplyEvent;
        events.push(event);
        if (event.type === 'DONE' || event.type === 'ERROR') ended();
      },
      error: () => ended(),
      complete: () => ended(),
    });
    await subscription.ready;

    await api.sendMessage(created.id, 'Hi [[standin:tokens=20]]');
    await done;
    subscription.unsubscribe();

    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'DELTA').length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'DONE', status: 'COMPLETE' });
  }, 30_000);
});
