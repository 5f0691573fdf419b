// The React example (examples/react, on the hooks in clients/react) in headless Chromium, served by `npm run example`
// as a person runs it, against the product's sandbox: sign in through the form, start a conversation, reload while
// a reply streams and see it whole and once, stop another, Markdown shown as elements. Then the errors the script
// gives when there is nothing to run against.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ExampleError, startExampleServer } from '../../examples/react/server.ts';
import { amplifyOutputs, writeOutputs } from '../../sandbox/start/outputs.ts';
import { launchChromium, pageProblems } from './browser.ts';
import { api, GET_MESSAGE, startProduct, user, type Product, type User } from './product.ts';

const ROOT = join(import.meta.dirname, '../..');
const EMAIL = 'reactor@example.com';
const PASSWORD = 'Passw0rd!';
const WAIT = { timeout: 20_000 };

let browser: Browser;
let product: Product;
let who: User;
let dir: string;
let outputsPath: string;
let example: { child: ChildProcess; url: string };

/** `npm run example` in its own process group; resolves with the URL it prints. */
function runExample(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('npm', ['run', '--silent', 'example', '--', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run example printed no URL within 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const url = /is at (http:\/\/\S+)/.exec(output)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ child, url });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run example ended (${code}) before printing its URL:\n${output}`));
    });
  });
}

beforeAll(async () => {
  browser = await launchChromium();
  // 100 tokens a second: a reply of 1,500 tokens streams for about 15 s, long enough to reload in the middle of it.
  product = await startProduct({ claude: { tokensPerSecond: 100 } });
  who = await user(product.sandbox, EMAIL, PASSWORD);
  dir = mkdtempSync(join(tmpdir(), 'example-react-'));
  outputsPath = join(dir, 'amplify_outputs.json');
  writeOutputs(outputsPath, amplifyOutputs(product.sandbox.template, product.sandbox.urls, product.sandbox.certificatePath));
  example = await runExample(['--port', '0', '--outputs', outputsPath]);
}, 180_000);

afterAll(async () => {
  if (example?.child.pid !== undefined && example.child.exitCode === null) {
    const exited = new Promise((resolve) => example.child.once('exit', resolve));
    process.kill(-example.child.pid, 'SIGTERM');
    await exited;
  }
  await browser?.close();
  await product?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

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

async function signedIn(): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(recordReplyTexts);
  const page = await context.newPage();
  const problems = pageProblems(page);
  await page.goto(example.url);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${EMAIL}`).waitFor(WAIT);
  return { context, page, problems };
}

/** Starts a conversation with the button; returns its id, which the page keeps in the URL's hash. */
async function newConversation(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'New conversation' }).click();
  await page.waitForURL((url) => url.hash.length > 1, WAIT);
  const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
  await page.locator(`.conversations a[data-conversation-id="${id}"][aria-current="page"]`).waitFor(WAIT);
  return id;
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

const stored = async (conversationId: string, messageId: string | null): Promise<{ content: string; status: string }> =>
  (await api(product.sandbox, who)(GET_MESSAGE, { c: conversationId, id: messageId })).body.data?.getMessage as { content: string; status: string };

const growsOnly = (texts: string[]): boolean => texts.every((text, i) => i === 0 || text.startsWith(texts[i - 1] ?? ''));

describe('the React example', () => {
  it('shows a reply whole and once after the page is reloaded while it streams', async () => {
    const { context, page, problems } = await signedIn();
    const conversationId = await newConversation(page);
    await send(page, 'Tell me a long story [[standin:tokens=1500]]');
    const reply = page.locator('.message.assistant');
    await reply.locator('.status', { hasText: 'STREAMING' }).waitFor(WAIT);
    // Past the first checkpoint (~2 s): after the reload, part of the text comes from the stored message, the rest from events.
    await page.waitForFunction(() => (document.querySelector('.message.assistant .content')?.textContent ?? '').length > 600, null, WAIT);
    const messageId = await reply.getAttribute('data-message-id');

    await page.reload();
    await page.locator(`.message.assistant[data-message-id="${messageId}"][data-status="STREAMING"]`).waitFor(WAIT);
    await page.locator(`.message.assistant[data-message-id="${messageId}"][data-status="COMPLETE"]`).waitFor({ timeout: 60_000 });

    const shown = await page.locator('.message.assistant .content').textContent();
    const texts = await page.evaluate(() => (window as unknown as { replyTexts: string[] }).replyTexts);
    const message = await stored(conversationId, messageId);
    await page.screenshot({ path: '/tmp/example-react.png' });
    expect(message.status).toBe('COMPLETE');
    expect(shown).toBe(message.content);
    expect(await page.locator('.message.assistant').count()).toBe(1);
    expect(await page.locator('.message.user').count()).toBe(1);
    expect(texts.length).toBeGreaterThan(1);
    expect(growsOnly(texts)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('stops a reply with the Stop button: it ends STOPPED with its text kept', async () => {
    const { context, page, problems } = await signedIn();
    const conversationId = await newConversation(page);
    await send(page, 'Keep talking [[standin:tokens=3000]]');
    const reply = page.locator('.message.assistant');
    await page.waitForFunction(() => (document.querySelector('.message.assistant .content')?.textContent ?? '').length > 100, null, WAIT);
    const stop = page.getByRole('button', { name: 'Stop' });

    await stop.click();
    await page.locator('.message.assistant[data-status="STOPPED"]').waitFor(WAIT);

    const message = await stored(conversationId, await reply.getAttribute('data-message-id'));
    expect(message.status).toBe('STOPPED');
    expect(await reply.locator('.content').textContent()).toBe(message.content);
    expect(await stop.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Regenerate' }).isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('renders Markdown as elements: code blocks, emphasis, and HTML only as text', async () => {
    const { context, page, problems } = await signedIn();
    await newConversation(page);

    await send(page, 'Is **this** `code`? <img src=x onerror="window.hacked=1">\n\n```ts\nconst ok = 1 < 2;\n```');
    await page.locator('.message.assistant[data-status="COMPLETE"]').waitFor(WAIT);

    const mine = page.locator('.message.user');
    expect(await mine.locator('strong').textContent()).toBe('this');
    expect(await mine.locator('p code').textContent()).toBe('code');
    expect(await mine.locator('pre code').textContent()).toBe('const ok = 1 < 2;');
    expect(await mine.locator('pre').getAttribute('data-language')).toBe('ts');
    expect(await mine.locator('p').first().textContent()).toContain('<img src=x onerror="window.hacked=1">');
    expect(await page.locator('.messages img').count()).toBe(0);
    expect(await page.locator('.message.assistant strong').textContent()).toBe('this');
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('says why a sign-in failed', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(example.url);

    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('alert').filter({ hasText: 'NotAuthorizedException' }).waitFor(WAIT);
    expect(await page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
    await context.close();
  }, 60_000);
});

describe('npm run example\'s errors', () => {
  it('says to start the sandbox when there is no amplify_outputs.json', async () => {
    const missing = join(dir, 'missing.json');

    const failure = startExampleServer({ outputsPath: missing, port: 0 });

    await expect(failure).rejects.toBeInstanceOf(ExampleError);
    await expect(failure).rejects.toMatchObject({ errorType: 'OutputsMissing', message: expect.stringContaining('`npm start` in another terminal') });
  });

  it('says to start the sandbox when the one amplify_outputs.json names is not running', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outputs = amplifyOutputs(product.sandbox.template, { ...product.sandbox.urls, graphql: `http://127.0.0.1:${port}/graphql` }, product.sandbox.certificatePath);
    const stale = join(dir, 'stale.json');
    writeFileSync(stale, JSON.stringify(outputs));

    const failure = startExampleServer({ outputsPath: stale, port: 0 });

    await expect(failure).rejects.toMatchObject({ errorType: 'SandboxNotRunning', message: expect.stringContaining(`not answering at http://127.0.0.1:${port}/graphql`) });
  });

  it('says what is wrong with a port that is in use', async () => {
    const busy = new URL(example.url).port;

    const failure = startExampleServer({ outputsPath, port: Number(busy) });

    await expect(failure).rejects.toMatchObject({ errorType: 'PortInUse', message: expect.stringContaining(`Port ${busy} is in use`) });
  }, 60_000);
});
