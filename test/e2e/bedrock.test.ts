// The product synthesized with `-c claudeProvider=bedrock`, bundled as it deploys, served by the sandbox: the chat
// function calls the stand-in's Bedrock routes, signed with the sandbox's function credentials.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { synthesize } from '../../infra/app.ts';
import { ConversationFeed, type ReplyState } from '../../clients/kit/index.ts';
import { until } from '../support/until.ts';
import type { RawClient } from '../integration/sandbox/ws-client.ts';
import { api, conversation, ended, events, GET_MESSAGE, kitFor, send, startProduct, subscribe, user, type Product, type User } from './product.ts';

const dir = mkdtempSync(join(tmpdir(), 'product-bedrock-'));
let p: Product;
let ana: User;
let socket: RawClient | undefined;

beforeAll(async () => {
  const cdkOut = join(dir, 'cdk.out');
  const stackName = synthesize(cdkOut, 'dev', { claudeProvider: 'bedrock' });
  p = await startProduct({ cdkOut, stackName, claude: { tokensPerSecond: 400 } });
  ana = await user(p.sandbox, 'ana@example.com');
}, 180_000);

afterAll(async () => {
  socket?.close();
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the product on Claude on Bedrock', () => {
  it('streams a reply from Bedrock to the subscription and stores exactly the streamed text', async () => {
    // Arrange
    const c = await conversation(p.sandbox, ana);
    socket = await subscribe(p.sandbox, ana, c);

    // Act
    const turn = await send(p.sandbox, ana, c, 'Tell me about rivers.');
    const done = await ended(socket, turn.reply.id);

    // Assert
    const deltas = events(socket).filter((e) => e.messageId === turn.reply.id && e.type === 'DELTA').map((e) => e.text ?? '').join('');
    const stored = (await api(p.sandbox, ana)(GET_MESSAGE, { c, id: turn.reply.id })).body.data?.getMessage as { content: string; status: string };
    expect(done).toMatchObject({ type: 'DONE', status: 'COMPLETE' });
    expect(stored).toMatchObject({ status: 'COMPLETE', content: deltas });
    expect(deltas.length).toBeGreaterThan(0);
    expect(p.logs.records.some((r) => /POST \/claude\/bedrock\/model\/global\.anthropic\.claude-sonnet-4-6\/invoke-with-response-stream 200 bedrock/.test(r.message))).toBe(true);
  });

  it('streams thinking and a server tool\'s call and result from Bedrock, stored equal to what streamed', async () => {
    // Arrange: the kit follows the reply, as a front end would.
    const { api: chat, realtime } = kitFor(p.sandbox, ana);
    const created = await chat.createConversation({ thinkingBudgetTokens: 1024 });
    let latest: ReplyState | undefined;
    const feed = new ConversationFeed({ realtime, api: chat, conversationId: created.id, onReply: (state) => (latest = state) });
    await feed.ready;

    // Act
    const turn = await chat.sendMessage(created.id, 'What time is it in Paris? [[standin:think]] [[standin:tool=current_time {"timeZone":"Europe/Paris"}]]');
    latest = feed.follow(turn.reply);
    await until(() => latest?.final === true, 'the end of the reply', 30_000);
    const stored = await chat.getMessage(created.id, turn.reply.id);
    feed.close();
    realtime.close();

    // Assert: thinking opens the turn only (without interleaved thinking the model does not think again after a tool
    // result), then the call, its result, and the answer: two model calls on Bedrock.
    expect(latest).toMatchObject({ status: 'COMPLETE', seq: stored?.seq, text: stored?.content });
    expect(latest?.blocks).toEqual(stored?.blocks);
    expect(stored?.blocks.map((block) => block.type)).toEqual(['THINKING', 'TEXT', 'TOOL_USE', 'TOOL_RESULT', 'TEXT']);
    expect(stored?.blocks.find((block) => block.type === 'TOOL_RESULT')).toMatchObject({ isError: false, output: expect.stringContaining('Europe/Paris') });
    expect(p.logs.records.filter((r) => /invoke-with-response-stream 200 bedrock/.test(r.message)).length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('sends an uploaded image and a cited document to Bedrock: the reply names both and its citation streams and is stored', async () => {
    // Arrange
    const { api: chat, realtime } = kitFor(p.sandbox, ana);
    const created = await chat.createConversation();
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const NOTE = 'Rivers carry water to the sea.';
    const image = await chat.uploadAttachment(created.id, new File([PNG], 'dot.png', { type: 'image/png' }));
    const note = await chat.uploadAttachment(created.id, new File([NOTE], 'rivers.txt', { type: 'text/plain' }));
    let latest: ReplyState | undefined;
    const feed = new ConversationFeed({ realtime, api: chat, conversationId: created.id, onReply: (state) => (latest = state) });
    await feed.ready;

    // Act
    const turn = await chat.sendMessage(created.id, 'What do these say?', undefined, { attachmentIds: [image.id, note.id], citations: true });
    latest = feed.follow(turn.reply);
    await until(() => latest?.final === true, 'the end of the reply', 30_000);
    const stored = await chat.getMessage(created.id, turn.reply.id);
    feed.close();
    realtime.close();

    // Assert
    expect(latest).toMatchObject({ status: 'COMPLETE', text: stored?.content, seq: stored?.seq });
    expect(latest?.text).toContain(`[image image/png ${PNG.length} bytes]`);
    expect(latest?.text).toContain(`[document text/plain ${NOTE.length} bytes]`);
    expect(latest?.blocks.flatMap((block) => block.citations ?? [])).toEqual([expect.objectContaining({ citedText: NOTE, documentTitle: 'rivers.txt' })]);
    expect(latest?.blocks).toEqual(stored?.blocks);
  }, 60_000);

  it('bundles the Bedrock SDK into the chat function only when the provider is bedrock', () => {
    const bundleOf = (cdkOut: string): string => {
      const assets = readdirSync(cdkOut).filter((name) => name.startsWith('asset.'));
      // A function's asset is its entry file and the chunks of what it imports with import() (infra/functions.ts).
      const filesOf = (asset: string): string[] => { try { return readdirSync(asset).filter((file) => file.endsWith('.mjs')); } catch { return []; } };
      const chat = assets.map((name) => join(cdkOut, name)).map((asset) => filesOf(asset).map((file) => readFileSync(join(asset, file), 'utf8')).join('\n'));
      // The chat function's own log line: other functions share its modules (the attachments function signs as it does).
      return chat.find((code) => code.includes('reply ended')) ?? '';
    };
    // The path Bedrock's SDK rewrites requests to: only @anthropic-ai/bedrock-sdk has it (a boolean, not the bundle, is compared).
    const hasBedrockSdk = (code: string): boolean => code.includes('invoke-with-response-stream');
    expect(hasBedrockSdk(bundleOf(join(dir, 'cdk.out')))).toBe(true);
    const anthropicOut = process.env.PRODUCT_CDK_OUT;
    if (anthropicOut) {
      const anthropicBundle = bundleOf(anthropicOut);
      expect(anthropicBundle.length).toBeGreaterThan(0);
      expect(hasBedrockSdk(anthropicBundle)).toBe(false);
    }
  });
});
