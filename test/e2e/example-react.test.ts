// `npm run example` as a command: it serves the React example (examples/react) at the URL it prints, and says what to
// do when there is nothing to run against. The app itself, in Chromium against the sandbox, is examples/react's own
// Playwright test (examples/react/e2e/chat.spec.ts), which example-playwright.test.ts runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExampleError, startExampleServer } from '../../examples/react/server.ts';

const ROOT = join(import.meta.dirname, '../..');

let dir: string;
let outputsPath: string;
let api: Server;
let example: { child: ChildProcess; url: string };

/** `npm run example` in its own process group; resolves with the URL it prints, or rejects with what it printed. */
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
      reject(Object.assign(new Error(`npm run example ended (${code}) before printing its URL:\n${output}`), { code, output }));
    });
  });
}

/** Outputs naming an API at this URL, shaped as the sandbox writes them (sandbox/start/outputs.ts). */
function outputsFor(graphqlUrl: string): string {
  return JSON.stringify({ version: '1.4', auth: { user_pool_id: 'us-east-1_example', user_pool_client_id: 'exampleclient' }, data: { url: graphqlUrl }, custom: { sandbox: {} } });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'example-react-'));
  // A stand-in for the sandbox's GraphQL endpoint: the example only checks that something answers there.
  api = createHttpServer((_req, res) => res.writeHead(401).end('{}'));
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  outputsPath = join(dir, 'amplify_outputs.json');
  writeFileSync(outputsPath, outputsFor(`http://127.0.0.1:${(api.address() as AddressInfo).port}/graphql`));
  example = await runExample(['--port', '0', '--outputs', outputsPath]);
}, 90_000);

afterAll(async () => {
  if (example?.child.pid !== undefined && example.child.exitCode === null) {
    const exited = new Promise((resolve) => example.child.once('exit', resolve));
    process.kill(-example.child.pid, 'SIGTERM');
    await exited;
  }
  await new Promise((resolve) => api?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('npm run example', () => {
  it('serves the page, the bundled app and the outputs file at the URL it prints', async () => {
    const page = await fetch(example.url);
    const script = await fetch(new URL('/app.js', example.url));
    const outputs = await fetch(new URL('/amplify_outputs.json', example.url));

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    expect(await outputs.json()).toMatchObject({ data: { url: expect.stringMatching(/\/graphql$/) } });
  });

  it('says how to use it when a flag is wrong, and exits 2', async () => {
    const failure = runExample(['--port', 'nope']);

    await expect(failure).rejects.toMatchObject({ code: 2, output: expect.stringContaining('--port must be a number from 0 to 65535') });
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
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const stale = join(dir, 'stale.json');
    writeFileSync(stale, outputsFor(`http://127.0.0.1:${port}/graphql`));

    const failure = startExampleServer({ outputsPath: stale, port: 0 });

    await expect(failure).rejects.toMatchObject({ errorType: 'SandboxNotRunning', message: expect.stringContaining(`not answering at http://127.0.0.1:${port}/graphql`) });
  });

  it('says what is wrong with a port that is in use', async () => {
    const busy = new URL(example.url).port;

    const failure = startExampleServer({ outputsPath, port: Number(busy) });

    await expect(failure).rejects.toMatchObject({ errorType: 'PortInUse', message: expect.stringContaining(`Port ${busy} is in use`) });
  }, 60_000);
});
