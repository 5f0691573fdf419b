// The sandbox as another project's test kit: a folder outside this repository with its own package.json installs this
// package from its path (npm, offline), and a test there starts the sandbox through the public API
// (`appsync-claude-chat/sandbox`, sandbox/public.ts), makes a user, scripts a 429 then text for that user, sends a
// message with the client kit (`appsync-claude-chat/kit`) and sees the reply COMPLETE after one retry. The README's "Testing your app against the
// sandbox" is this test's app.test.mts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const app = mkdtempSync(join(tmpdir(), 'test-kit-app-'));

const APP_TEST = `import { ChatApi, ConversationFeed, graphqlClient, RealtimeClient } from 'appsync-claude-chat/kit';
import { startSandbox } from 'appsync-claude-chat/sandbox';

// The product's template when the caller has one synthesized (this repository's test run does), else the default.
const template = process.env.PRODUCT_CDK_OUT ? { cdkOut: process.env.PRODUCT_CDK_OUT, stackName: process.env.PRODUCT_STACK_NAME } : undefined;
const sandbox = await startSandbox({ template });
try {
  const ana = await sandbox.createUser({ email: 'ana@example.com' });
  sandbox.script.scriptFor({ sub: ana.sub }, [{ fault: 'rate_limit' }, { text: 'Hello from the script.' }]);

  const token = () => ana.accessToken;
  const chat = new ChatApi(graphqlClient({ url: sandbox.urls.graphql, token }).request);
  const realtime = new RealtimeClient({ graphqlUrl: sandbox.urls.graphql, realtimeUrl: sandbox.urls.realtime, token });
  const conversation = await chat.createConversation();
  let ended;
  const end = new Promise((resolve) => { ended = resolve; });
  const feed = new ConversationFeed({ realtime, api: chat, conversationId: conversation.id, onReply: (reply) => { if (reply.final) ended(reply); } });
  await feed.ready;
  const turn = await chat.sendMessage(conversation.id, 'Hi');
  feed.follow(turn.reply);
  const reply = await Promise.race([end, new Promise((_, reject) => setTimeout(() => reject(new Error('no reply in 30 s')), 30_000).unref())]);
  feed.close();
  realtime.close();

  const calls = sandbox.script.calls.filter((call) => call.owner?.sub === ana.sub).map((call) => call.status);
  process.stdout.write(JSON.stringify({ reply: { status: reply.status, text: reply.text }, calls, amplify: Object.keys(sandbox.outputs) }));
} finally {
  await sandbox.stop();
}
`;

beforeAll(async () => {
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'an-app', private: true, type: 'module' }, null, 2)}\n`);
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', ROOT], { cwd: app });
  writeFileSync(join(app, 'app.test.mts'), APP_TEST);
}, 60_000);

afterAll(() => {
  rmSync(app, { recursive: true, force: true });
});

describe('the sandbox as a test kit for another project', () => {
  it('starts through the public API in a folder that installed the package, and answers a scripted 429 then text', async () => {
    const { stdout } = await run(join(ROOT, 'node_modules/.bin/tsx'), ['app.test.mts'], { cwd: app, timeout: 90_000 });

    const result = JSON.parse(stdout) as { reply: { status: string; text: string }; calls: (number | null)[]; amplify: string[] };
    expect(result.reply).toEqual({ status: 'COMPLETE', text: 'Hello from the script.' });
    expect(result.calls).toEqual([429, 200]);
    expect(result.amplify).toEqual(expect.arrayContaining(['auth', 'data', 'custom']));
  }, 120_000);

  it('runs npm start\'s sandbox from the app\'s folder with npx appsync-claude-chat, and says what to type for anything else', async () => {
    const help = await run('npx', ['--offline', 'appsync-claude-chat', 'sandbox', '--help'], { cwd: app });
    const wrong = await run('npx', ['--offline', 'appsync-claude-chat', 'serve'], { cwd: app }).catch((error: unknown) => error as { code: number; stderr: string });

    expect(help.stdout).toMatch(/--port/);
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringContaining('npx appsync-claude-chat sandbox') });
  }, 60_000);
});
