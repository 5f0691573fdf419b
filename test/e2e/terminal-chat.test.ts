// npm run chat in a pseudo-terminal against the product sandbox: sign in, a reply streaming, Ctrl-C to stop it,
// Ctrl-C again to quit; and the errors a first run meets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pty from 'node-pty';
import { amplifyOutputs, writeOutputs } from '../../sandbox/start/outputs.ts';
import { replyText } from '../support/terminal-screen.ts';
import { api, startProduct, user, type Product, type User } from './product.ts';

const ROOT = join(import.meta.dirname, '../..');
const PASSWORD = 'Passw0rd!';

let p: Product;
let tess: User;
let dir: string;
let outputs: string;

/** `npm run chat` in a pseudo-terminal, as a person runs it; waits on what it prints, never on time. */
class Chat {
  private raw = '';
  private waiters: (() => void)[] = [];
  readonly exited: Promise<number>;
  private readonly term: pty.IPty;

  constructor(args: string[]) {
    this.term = pty.spawn('npm', ['run', '--silent', 'chat', '--', ...args], { cols: 120, rows: 40, cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    this.term.onData((data) => {
      this.raw += data;
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) => this.term.onExit(({ exitCode }) => resolve(exitCode)));
  }

  get screen(): string {
    return stripVTControlCharacters(this.raw).replace(/\r/g, '');
  }

  /** Resolves once `test` holds for what was printed; fails after the timeout, showing the screen. */
  async until(what: string, test: (screen: string) => boolean, timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!test(this.screen)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(this.screen);
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; screen:\n${this.screen.slice(-1500)}`)), timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  see(text: string | RegExp, timeoutMs?: number): Promise<string> {
    return this.until(String(text), (s) => (typeof text === 'string' ? s.includes(text) : text.test(s)), timeoutMs);
  }

  type(text: string): void {
    this.term.write(text);
  }

  kill(): void {
    this.term.kill();
  }
}

const chats: Chat[] = [];
function chat(args = ['--outputs', outputs]): Chat {
  const c = new Chat(args);
  chats.push(c);
  return c;
}

beforeAll(async () => {
  p = await startProduct({ claude: { tokensPerSecond: 100 } });
  tess = await user(p.sandbox, 'tess@example.com', PASSWORD);
  dir = mkdtempSync(join(tmpdir(), 'terminal-chat-'));
  outputs = join(dir, 'amplify_outputs.json');
  writeOutputs(outputs, amplifyOutputs(p.sandbox.template, p.sandbox.urls, p.sandbox.certificatePath));
}, 120_000);

afterAll(async () => {
  for (const c of chats) c.kill();
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 90_000);

async function signIn(c: Chat, password = PASSWORD): Promise<void> {
  await c.see('Sign in (i) or sign up (u)?');
  c.type('\r');
  await c.see('Email:');
  c.type(`${tess.email}\r`);
  await c.see('Password:');
  c.type(`${password}\r`);
}

describe('npm run chat', () => {
  it('signs in, streams a reply, stops it on Ctrl-C and quits with exit code 0 on a second Ctrl-C', async () => {
    // Arrange
    const c = chat();
    await signIn(c);
    await c.see('Signed in as tess@example.com');
    await c.see('New conversation ›');

    // Act: a long reply; once some text has appeared and then more, Ctrl-C. The reply is read from after the
    // echo of the sent line ends: readline echoes it in pieces, and a partial echo is not the reply.
    const sent = 'Tell me a long story [[standin:tokens=4000]]';
    c.type(`${sent}\r`);
    const shown = (s: string): string => replyText(s, sent);
    const first = shown(await c.until('the first words of the reply', (s) => shown(s).trim().length > 20));
    await c.until('more of the reply', (s) => shown(s).length > first.length + 20);
    c.type('\x03');
    await c.see('Stopped: the reply ends STOPPED');
    await c.see(/›\s*$/);
    c.type('\x03');
    const code = await c.exited;

    // Assert
    expect(code).toBe(0);
    const ask = api(p.sandbox, tess);
    const conversations = (await ask('query { listConversations { items { id } } }')).body.data?.listConversations as { items: { id: string }[] };
    const [only] = conversations.items;
    const messages = (await ask('query L($c: ID!) { listMessages(conversationId: $c) { items { id role status content } } }', { c: only?.id })).body.data?.listMessages as { items: { id: string; role: string; status: string; content: string }[] };
    const reply = messages.items.find((m) => m.role === 'ASSISTANT');
    const stored = (await ask('query M($c: ID!, $id: ID!) { getMessage(conversationId: $c, id: $id) { status content } }', { c: only?.id, id: reply?.id })).body.data?.getMessage as { status: string; content: string };
    expect(stored.status).toBe('STOPPED');
    expect(stored.content.length).toBeGreaterThan(0);
    expect(c.screen.replace(/\n/g, '')).toContain(stored.content.replace(/\n/g, ''));
  }, 90_000);

  it('shows Cognito\'s message for a wrong password', async () => {
    const c = chat();

    await signIn(c, 'wrong-Passw0rd!');
    await c.see('Incorrect username or password');
    c.type('\x03');

    expect(await c.exited).toBe(0);
  });

  it('says to run npm start when there is no amplify_outputs.json', async () => {
    const c = chat(['--outputs', join(dir, 'missing.json')]);

    const code = await c.exited;

    expect(code).toBe(1);
    expect(c.screen).toContain('run npm start first, or pass --outputs');
  });

  it('says the sandbox is not running when the connection is refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const stale = join(dir, 'stale.json');
    writeFileSync(stale, JSON.stringify({ auth: { aws_region: 'us-east-1', user_pool_id: 'us-east-1_x', user_pool_client_id: 'c' }, data: { url: `http://127.0.0.1:${port}/graphql` }, custom: { sandbox: { cognito_endpoint: `http://127.0.0.1:${port}`, realtime_url: `ws://127.0.0.1:${port}/graphql/realtime` } } }));
    const c = chat(['--outputs', stale]);

    const code = await c.exited;

    expect(code).toBe(1);
    expect(c.screen).toMatch(/connection refused\): is the sandbox running\? Start it with npm start/);
  });
});
