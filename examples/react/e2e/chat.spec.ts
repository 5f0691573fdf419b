// The React example in Chromium against the sandbox, on the sandbox's Playwright fixture (sandbox/fixtures/playwright.ts):
// each test signs in through the form as a fresh user, then a reply shown whole and once after a reload mid-stream,
// Stop, Markdown as elements, and a failed sign-in said. The example is served by server.ts, as `npm run example` does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test as sandboxTest, type TestUser } from '../../../sandbox/fixtures/playwright.ts';
import { startExampleServer } from '../server.ts';

/** The example served against the worker's sandbox: its outputs written to a file, as `npm start` writes them. */
const test = sandboxTest.extend<{ problems: string[] }, { exampleUrl: string }>({
  exampleUrl: [async ({ sandbox }, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'example-react-'));
    const outputsPath = join(dir, 'amplify_outputs.json');
    writeFileSync(outputsPath, JSON.stringify(sandbox.outputs));
    const server = await startExampleServer({ outputsPath, port: 0 });
    try {
      await use(server.url);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, { scope: 'worker', timeout: 60_000 }],
  // Uncaught page errors and console errors: each test ends with none.
  problems: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
    });
    await use(problems);
  },
});

/** Records, in the page, each text the last reply showed (a reload starts a new record). */
function recordReplyTexts(): void {
  const texts: string[] = [];
  (window as unknown as { replyTexts: string[] }).replyTexts = texts;
  new MutationObserver(() => {
    const content = Array.from(document.querySelectorAll('.message.assistant .content')).at(-1);
    if (!content || content.querySelector('.typing')) return;
    const text = content.textContent ?? '';
    if (text !== texts.at(-1)) texts.push(text);
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

async function signIn(page: Page, url: string, user: TestUser): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${user.email}`)).toBeVisible();
}

/** Starts a conversation with the button; returns its id, which the page keeps in the URL's hash. */
async function newConversation(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.waitForURL((url) => url.hash.length > 1);
  const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
  await expect(page.locator(`.conversations a[data-conversation-id="${id}"][aria-current="page"]`)).toBeVisible();
  return id;
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The message as the API stores it, asked with the user's own token. */
async function stored(graphqlUrl: string, user: TestUser, conversationId: string, id: string | null): Promise<{ content: string; status: string }> {
  const query = 'query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) { content status } }';
  const answer = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: user.accessToken }, body: JSON.stringify({ query, variables: { c: conversationId, id } }) });
  return ((await answer.json()) as { data: { getMessage: { content: string; status: string } } }).data.getMessage;
}

const growsOnly = (texts: string[]): boolean => texts.every((text, i) => i === 0 || text.startsWith(texts[i - 1] ?? ''));

test('shows a streamed reply whole and once after the page is reloaded while it streams', async ({ page, user, sandbox, exampleUrl, problems }) => {
  await page.addInitScript(recordReplyTexts);
  await signIn(page, exampleUrl, user);
  const conversationId = await newConversation(page);
  await send(page, 'Tell me a long story [[standin:tokens=900]]');
  const reply = page.locator('.message.assistant');
  await expect(reply.locator('.status', { hasText: 'STREAMING' })).toBeVisible();
  // Past the first checkpoint (~2 s): after the reload, part of the text comes from the stored message, the rest from events.
  await page.waitForFunction(() => (document.querySelector('.message.assistant .content')?.textContent ?? '').length > 600);
  const messageId = await reply.getAttribute('data-message-id');

  await page.reload();
  await expect(page.locator(`.message.assistant[data-message-id="${messageId}"][data-status="STREAMING"]`)).toBeVisible();
  await expect(page.locator(`.message.assistant[data-message-id="${messageId}"][data-status="COMPLETE"]`)).toBeVisible({ timeout: 60_000 });

  const message = await stored(sandbox.urls.graphql, user, conversationId, messageId);
  const texts = await page.evaluate(() => (window as unknown as { replyTexts: string[] }).replyTexts);
  expect(message.status).toBe('COMPLETE');
  await expect(page.locator('.message.assistant .content')).toHaveText(message.content);
  await expect(page.locator('.message.assistant')).toHaveCount(1);
  await expect(page.locator('.message.user')).toHaveCount(1);
  expect(texts.length).toBeGreaterThan(1);
  expect(growsOnly(texts)).toBe(true);
  expect(problems).toEqual([]);
});

test('stops a reply with the Stop button: it ends STOPPED with its text kept', async ({ page, user, sandbox, exampleUrl, problems }) => {
  sandbox.script.scriptFor({ sub: user.sub }, [{ text: 'A long answer. '.repeat(300), tokensPerSecond: 50 }]);
  await signIn(page, exampleUrl, user);
  const conversationId = await newConversation(page);
  await send(page, 'Keep talking');
  const reply = page.locator('.message.assistant');
  await page.waitForFunction(() => (document.querySelector('.message.assistant .content')?.textContent ?? '').length > 100);
  const stop = page.getByRole('button', { name: 'Stop' });

  await stop.click();
  await expect(page.locator('.message.assistant[data-status="STOPPED"]')).toBeVisible();

  const message = await stored(sandbox.urls.graphql, user, conversationId, await reply.getAttribute('data-message-id'));
  expect(message.status).toBe('STOPPED');
  expect(message.content).toMatch(/^A long answer\. A long answer\./);
  expect(sandbox.script.calls.filter((call) => call.owner?.sub === user.sub).map((call) => call.status)).toEqual([200]);
  await expect(reply.locator('.content')).toHaveText(message.content);
  await expect(stop).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Regenerate' })).toBeEnabled();
  expect(problems).toEqual([]);
});

test('renders Markdown as elements: code blocks, emphasis, and HTML only as text', async ({ page, user, exampleUrl, problems }) => {
  await signIn(page, exampleUrl, user);
  await newConversation(page);

  await send(page, 'Is **this** `code`? <img src=x onerror="window.hacked=1">\n\n```ts\nconst ok = 1 < 2;\n```');
  await expect(page.locator('.message.assistant[data-status="COMPLETE"]')).toBeVisible();

  const mine = page.locator('.message.user');
  await expect(mine.locator('strong')).toHaveText('this');
  await expect(mine.locator('p code')).toHaveText('code');
  await expect(mine.locator('pre code')).toHaveText('const ok = 1 < 2;');
  await expect(mine.locator('pre')).toHaveAttribute('data-language', 'ts');
  await expect(mine.locator('p').first()).toContainText('<img src=x onerror="window.hacked=1">');
  await expect(page.locator('.messages img')).toHaveCount(0);
  await expect(page.locator('.message.assistant strong')).toHaveText('this');
  expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
  expect(problems).toEqual([]);
});

test('says why a sign-in failed', async ({ page, user, exampleUrl }) => {
  await page.goto(exampleUrl);

  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page.getByRole('alert').filter({ hasText: 'NotAuthorizedException' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
});
