// The terminal chat's session run in this process against the product sandbox, keys typed into its input:
// sign-up with the code from the sandbox log, the conversation menu, a reply joined mid-stream, Ctrl-C.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runChat } from '../../../../clients/terminal/session.ts';
import { amplifyOutputs, writeOutputs } from '../../../../sandbox/start/outputs.ts';
import { conversation, send, startProduct, user, type Product, type User } from '../../../e2e/product.ts';

let p: Product;
let dir: string;
let outputs: string;
let ben: User;

beforeAll(async () => {
  p = await startProduct({ claude: { tokensPerSecond: 200 } });
  ben = await user(p.sandbox, 'ben@example.com');
  dir = mkdtempSync(join(tmpdir(), 'terminal-session-'));
  outputs = join(dir, 'amplify_outputs.json');
  writeOutputs(outputs, amplifyOutputs(p.sandbox.template, p.sandbox.urls, p.sandbox.certificatePath));
}, 120_000);

afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 90_000);

/** A session on in-memory streams: type into it, wait on what it prints. */
function session(args = ['--outputs', outputs]) {
  const input = new PassThrough();
  let printed = '';
  let wake = (): void => undefined;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      printed += chunk.toString();
      wake();
      done();
    },
  });
  const exit = runChat(args, { input, output, terminal: true, color: false });
  const screen = (): string => stripVTControlCharacters(printed).replace(/\r/g, '');
  const see = (text: string | RegExp, timeoutMs = 15_000): Promise<string> => new Promise((resolve, reject) => {
    const seen = (): boolean => (typeof text === 'string' ? screen().includes(text) : text.test(screen()));
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${String(text)}; screen:\n${screen().slice(-1200)}`)), timeoutMs);
    const check = (): void => {
      if (seen()) {
        clearTimeout(timer);
        resolve(screen());
      }
    };
    wake = check;
    check();
  });
  return { exit, see, screen, type: (keys: string) => input.write(keys), end: () => input.end() };
}

describe('a terminal chat session', () => {
  it('signs up with the emailed code from the sandbox log, starts a conversation and streams a reply', async () => {
    // Arrange
    const s = session();
    await s.see('Sign in (i) or sign up (u)?');
    s.type('u\r');
    await s.see('Email:');
    s.type('new@example.com\r');
    await s.see('Choose a password:');
    s.type('Passw0rd!\r');
    await s.see('in the log of npm start');
    const logged = p.logs.records.map((r) => r.message).find((m) => m.startsWith('confirmation code for new@example.com'));
    const code = /(\d{6})$/.exec(logged ?? '')?.[1] ?? '';

    // Act
    s.type('000000\r');
    await s.see('Invalid verification code');
    s.type(`${code}\r`);
    await s.see('Signed in as new@example.com');
    await s.see('New conversation › ');
    s.type('   \r');
    await s.see(/(New conversation › [\s\S]*){2}/);
    s.type('Say hello to the sea\r');
    const screen = await s.see(/Say hello to the sea\n[\s\S]+\n\n.+ › $/);
    s.type('\x03');

    // Assert
    expect(await s.exit).toBe(0);
    expect(screen).not.toContain('New conversation › Say hello to the sea\n\n');
    expect(screen.endsWith('New conversation › ')).toBe(false);
    expect(s.screen()).not.toContain('password123');
  });

  it('joins a reply already being written from the menu, stops it, and quits on a second Ctrl-C', async () => {
    const c = await conversation(p.sandbox, ben, 'The long one');
    await send(p.sandbox, ben, c, 'Write at length [[standin:tokens=4000]]');
    const s = session();
    await s.see('Sign in (i) or sign up (u)?');
    s.type('i\r');
    await s.see('Email:');
    s.type('ben@example.com\r');
    await s.see('Password:');
    s.type('Passw0rd!\r');
    await s.see('1. The long one');

    s.type('9\r');
    await s.see('answer 1 to 1, or n for a new conversation');
    s.type('1\r');
    await s.see(/Pick a conversation \[n\]: 1\n\S+/);
    s.type('\x03');
    await s.see('Stopped: the reply ends STOPPED');
    await s.see('The long one › ');
    s.type('\x03');

    expect(await s.exit).toBe(0);
  });

  it('shows Cognito\'s message for a wrong password, asks again, and fails after three', async () => {
    const s = session();
    await s.see('Sign in (i) or sign up (u)?');
    s.type('\r');
    await s.see('Email:');
    s.type('ben@example.com\r');

    for (let n = 1; n <= 3; n++) {
      await s.see(new RegExp(`(Password: [\\s\\S]*){${n}}`));
      s.type('wrong-Passw0rd!\r');
    }

    expect(await s.exit).toBe(1);
    expect(s.screen().match(/Incorrect username or password/g)).toHaveLength(3);
  });

  it('refuses a message while a reply is in flight and says why', async () => {
    const c = await conversation(p.sandbox, ben, 'Busy');
    const s = session();
    await s.see('Sign in (i) or sign up (u)?');
    s.type('\r');
    await s.see('Email:');
    s.type('ben@example.com\r');
    await s.see('Password:');
    s.type('Passw0rd!\r');
    await s.see(/\d+\. Busy/);
    const number = /(\d+)\. Busy/.exec(s.screen())?.[1] ?? '';
    s.type(`${number}\r`);
    await s.see('Busy › ');
    await send(p.sandbox, ben, c, 'Go on [[standin:tokens=2000]]');

    s.type('me too\r');
    await s.see('(Conflict)');
    s.end();

    expect(await s.exit).toBe(0);
  });

  it('prints the usage for --help, and refuses an unknown flag', async () => {
    const help = session(['--help']);
    const wrong = session(['--nope']);

    expect(await help.exit).toBe(0);
    expect(await wrong.exit).toBe(2);
    expect(help.screen()).toContain('Usage: npm run chat');
    expect(wrong.screen()).toContain("Unknown option '--nope'");
  });

  it('quits at the first question when the input ends', async () => {
    const s = session();
    await s.see('Sign in (i) or sign up (u)?');

    s.end();

    expect(await s.exit).toBe(0);
  });
});
