// The playground's files and Markdown in headless Chromium against the product's sandbox: files chosen with "Attach a
// file" are uploaded through the kit (createAttachmentUpload, then the presigned POST to the sandbox's S3) and sent with
// the message; the user message lists them, the Claude stand-in's reply names them and cites the text file. A reply's
// Markdown is built as elements, and HTML in it stays text.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { messageSk, messagesPk } from '../../resolvers/keys.ts';
import { launchChromium, pageProblems } from './browser.ts';
import { api, startProduct, user, type Product, type User } from './product.ts';

const EMAIL = 'files@example.com';
const PASSWORD = 'Passw0rd!';
const WAIT = { timeout: 20_000 };
/** A 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const NOTE = 'Penguins live in the southern hemisphere. They cannot fly.';
const FILES = [{ name: 'dot.png', mimeType: 'image/png', buffer: PNG }, { name: 'penguins.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTE) }];
const MESSAGE = 'query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) { blocks { type text attachment { fileName contentType size } } } }';

let browser: Browser;
let product: Product;
let context: BrowserContext;
let who: User;

beforeAll(async () => {
  browser = await launchChromium();
  product = await startProduct();
  who = await user(product.sandbox, EMAIL, PASSWORD);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

async function signedInPage(): Promise<{ page: Page; problems: string[] }> {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = pageProblems(page);
  await page.goto(product.sandbox.urls.base);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${EMAIL}`).waitFor(WAIT);
  return { page, problems };
}

/** Types the message, sends it, and waits for its reply to end COMPLETE; the reply's element. */
async function sendAndWait(page: Page, content: string): Promise<ReturnType<Page['locator']>> {
  const before = await page.locator('.message.assistant').count();
  await page.getByRole('textbox', { name: 'Message' }).fill(content);
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.locator('.message.assistant').nth(before);
  await reply.and(page.locator('[data-status="COMPLETE"]')).waitFor(WAIT);
  return reply;
}

const openConversation = (page: Page): Promise<string | null> => page.locator('.conversation-list [aria-current="true"]').getAttribute('data-conversation-id');

describe('files in the playground', () => {
  it('uploads the files chosen with "Attach a file", sends them, lists them on the message, and the reply names and cites them', async () => {
    const { page, problems } = await signedInPage();

    await page.getByLabel('Attach a file').setInputFiles(FILES);
    const chips = page.getByRole('list', { name: 'Files to send' }).getByRole('listitem');
    await chips.nth(1).waitFor(WAIT);
    const chosen = await chips.allInnerTexts();
    const reply = await sendAndWait(page, 'Compare these files.');

    const userMessage = page.locator('.message.user').last();
    const listed = await userMessage.getByRole('list', { name: 'Attachments' }).getByRole('listitem').allInnerTexts();
    const stored = await api(product.sandbox, who)(MESSAGE, { c: await openConversation(page), id: await userMessage.getAttribute('data-message-id') });
    expect(chosen.map((chip) => chip.replace(/\s+/g, ' '))).toEqual(['dot.png 70 bytes ×', 'penguins.txt 58 bytes ×']);
    expect(listed.map((item) => item.replace(/\s+/g, ' ').trim())).toEqual(['dot.png image/png, 70 bytes', 'penguins.txt text/plain, 58 bytes']);
    expect(await reply.locator('.content').innerText()).toContain(`[image image/png ${PNG.length} bytes]`);
    expect(await reply.locator('.content').innerText()).toContain(`[document text/plain ${NOTE.length} bytes]`);
    const citation = reply.getByRole('region', { name: 'Citations' }).getByRole('listitem');
    expect([await citation.locator('q').allInnerTexts(), await citation.locator('cite').allInnerTexts()]).toEqual([['Penguins live in the southern hemisphere.'], ['penguins.txt']]);
    expect(await chips.count()).toBe(0);
    expect((stored.body.data?.getMessage as { blocks: unknown[] }).blocks).toEqual([
      { type: 'IMAGE', text: null, attachment: { fileName: 'dot.png', contentType: 'image/png', size: PNG.length } },
      { type: 'DOCUMENT', text: null, attachment: { fileName: 'penguins.txt', contentType: 'text/plain', size: NOTE.length } },
      { type: 'TEXT', text: 'Compare these files.', attachment: null },
    ]);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('sends only the files left after one was removed with its chip\'s button', async () => {
    const { page, problems } = await signedInPage();
    await page.getByLabel('Attach a file').setInputFiles(FILES);

    await page.getByRole('button', { name: 'Remove penguins.txt' }).click();
    const reply = await sendAndWait(page, 'Just the picture.');

    const listed = await page.locator('.message.user').last().locator('.attachment .file-name').allInnerTexts();
    expect(listed).toEqual(['dot.png']);
    expect(await reply.locator('.content').innerText()).not.toContain('[document');
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});

describe('a reply\'s Markdown', () => {
  it('is built as elements in a reply followed live: emphasis, inline code, an http link opened with noopener, and HTML kept as text', async () => {
    const { page, problems } = await signedInPage();

    // The stand-in quotes the first words of the message in its reply (sandbox/claude-stand-in/reply-text.ts).
    const reply = await sendAndWait(page, 'Show **bold** `npm start` [docs](https://example.com/docs) [bad](javascript:alert(1)) <script>window.pwned=1</script> <img src=x onerror="window.pwned=2">');

    const content = reply.locator('.content');
    const link = content.getByRole('link');
    expect(await content.locator('strong').allInnerTexts()).toEqual(['bold']);
    expect(await content.locator('code').allInnerTexts()).toEqual(['npm start']);
    expect(await link.count()).toBe(1);
    expect([await link.innerText(), await link.getAttribute('href'), await link.getAttribute('rel'), await link.getAttribute('target')]).toEqual(['docs', 'https://example.com/docs', 'noopener noreferrer', '_blank']);
    expect(await content.innerText()).toContain('[bad](javascript:alert(1)) <script>window.pwned=1</script> <img src=x onerror="window.pwned=2">');
    expect(await content.locator('script, img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows a stored reply\'s fenced code block as <pre><code>, its heading and its list, when the conversation is opened', async () => {
    const { page, problems } = await signedInPage();
    const reply = await sendAndWait(page, 'Hello.');
    const conversationId = await openConversation(page) ?? '';
    const replyId = await reply.getAttribute('data-message-id') ?? '';
    // Newlines as a model writes them: the stand-in's reply quotes the message on one line, so the reply is stored with
    // Markdown here, where the chat function's final write puts a reply (functions/chat/finish.ts).
    const markdown = '## Steps\n\n1. Install\n2. Run:\n\n```sh\nnpm start\n<script>window.pwned=3</script>\n```\n\nDone.';
    const db = DynamoDBDocumentClient.from(product.sandbox.dynamodb.client);
    await db.send(new UpdateCommand({
      TableName: product.sandbox.template.tables[0]?.tableName ?? '',
      Key: { pk: messagesPk(who.sub, conversationId), sk: messageSk(replyId) },
      UpdateExpression: 'SET content = :content, blocks = :blocks',
      ExpressionAttributeValues: { ':content': markdown, ':blocks': [{ index: 0, type: 'TEXT', text: markdown }] },
    }));

    await page.locator(`.conversation-list [data-conversation-id="${conversationId}"]`).click();
    const shown = page.locator(`.message[data-message-id="${replyId}"] .content`);
    await shown.locator('pre').waitFor(WAIT);

    expect(await shown.locator('pre > code').innerText()).toBe('npm start\n<script>window.pwned=3</script>');
    expect(await shown.locator('pre').getAttribute('data-language')).toBe('sh');
    expect(await shown.getByRole('heading').allInnerTexts()).toEqual(['Steps']);
    expect(await shown.locator('ol > li').allInnerTexts()).toEqual(['Install', 'Run:']);
    expect(await shown.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);
});
