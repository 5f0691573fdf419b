// The sandbox's test fixtures in another project: a folder outside this repository installs the package from its path
// (as test-kit.test.ts does).
// - Jest with `appsync-claude-chat/sandbox/jest`'s setup and teardown (sandbox/fixtures/jest.js): its test, in a worker,
//   finds the sandbox in the environment, makes users through the admin route's create-user (sandbox/admin/service.ts),
//   signs requests with their tokens and scripts Claude for one of them; after the run the sandbox is gone.
// - Playwright with its own copy of @playwright/test and `appsync-claude-chat/sandbox/playwright`
//   (sandbox/fixtures/playwright.ts): the fixture must declare its tests through that copy, not this package's.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const app = mkdtempSync(join(tmpdir(), 'jest-fixture-app-'));

// The product's template when this run synthesized one (test/support/global-setup.ts); the package's default otherwise.
const SETUP = `import { sandboxSetup } from 'appsync-claude-chat/sandbox/jest';
const { PRODUCT_CDK_OUT: cdkOut, PRODUCT_STACK_NAME: stackName } = process.env;
export default sandboxSetup(cdkOut && stackName ? { template: { cdkOut, stackName } } : {});
`;

const APP_TEST = `import { writeFileSync, readFileSync } from 'node:fs';
import { admin, createUser } from 'appsync-claude-chat/sandbox/jest';

const graphql = async (token, query, variables = {}) => (await fetch(process.env.SANDBOX_GRAPHQL_URL, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: token }, body: JSON.stringify({ query, variables }),
})).json();

test('users from the admin route, their tokens, a script, the outputs file', async () => {
  const ana = await createUser({ email: 'ana@example.com' });
  const someone = await createUser();
  const created = await graphql(ana.accessToken, 'mutation { createConversation(input: {}) { id } }');
  const scripted = await admin('script', { sub: ana.sub, steps: [{ text: 'Hello from the setup.' }] });
  const again = await createUser({ email: 'ana@example.com' }).catch((error) => ({ errorType: error.errorType, status: error.status }));
  const badEmail = await createUser({ email: 42 }).catch((error) => ({ errorType: error.errorType, status: error.status }));
  const outputs = JSON.parse(readFileSync(process.env.SANDBOX_OUTPUTS, 'utf8'));
  writeFileSync('seen.json', JSON.stringify({
    ana: { email: ana.email, password: typeof ana.password, sub: typeof ana.sub, tokens: [ana.idToken, ana.accessToken, ana.refreshToken].every((t) => t.length > 20) },
    someone: someone.email, conversation: typeof created.data?.createConversation?.id, errors: created.errors, scripted, again, badEmail,
    outputs: { url: outputs.data.url, pool: outputs.auth.user_pool_id, client: outputs.auth.user_pool_client_id },
    env: { graphql: process.env.SANDBOX_GRAPHQL_URL, pool: process.env.SANDBOX_USER_POOL_ID, client: process.env.SANDBOX_USER_POOL_CLIENT_ID, realtime: process.env.SANDBOX_REALTIME_URL, cognito: process.env.SANDBOX_COGNITO_ENDPOINT },
  }));
});
`;

const PLAYWRIGHT_SPEC = `import { expect, test } from 'appsync-claude-chat/sandbox/playwright';

test.use({ sandboxOptions: process.env.PRODUCT_CDK_OUT ? { template: { cdkOut: process.env.PRODUCT_CDK_OUT, stackName: process.env.PRODUCT_STACK_NAME ?? '' } } : {} });

test("a fresh user on the worker's sandbox", async ({ user, sandbox }) => {
  const answer = await fetch(sandbox.urls.graphql, { method: 'POST', headers: { authorization: user.accessToken }, body: JSON.stringify({ query: 'mutation { createConversation(input: {}) { id } }' }) });
  expect((await answer.json()).data.createConversation.id).toBeTruthy();
});
`;

beforeAll(async () => {
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'a-jest-app', private: true, type: 'module' }, null, 2)}\n`);
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', ROOT], { cwd: app });
  writeFileSync(join(app, 'global-setup.mjs'), SETUP);
  writeFileSync(join(app, 'jest.config.mjs'), `export default { globalSetup: './global-setup.mjs', globalTeardown: 'appsync-claude-chat/sandbox/jest-teardown', testEnvironment: 'node', transform: {}, testMatch: ['**/*.test.mjs'] };\n`);
  writeFileSync(join(app, 'app.test.mjs'), APP_TEST);
  // The app's own Playwright: copies, so they are other module instances than this repository's.
  for (const name of ['@playwright/test', 'playwright', 'playwright-core']) cpSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name), { recursive: true });
  mkdirSync(join(app, 'e2e'));
  writeFileSync(join(app, 'e2e/fixture.spec.ts'), PLAYWRIGHT_SPEC);
  writeFileSync(join(app, 'playwright.config.ts'), 'export default { testDir: \'e2e\', workers: 1 };\n');
}, 60_000);

afterAll(() => {
  rmSync(app, { recursive: true, force: true });
});

describe('the sandbox\'s test fixtures in another project', () => {
  it('starts one sandbox for the run, gives the workers users and scripts through the admin route, and stops it', async () => {
    // A Jest of its own, not one of this run's workers.
    const env = { ...process.env };
    delete env['JEST_WORKER_ID'];
    await run(process.execPath, ['--experimental-vm-modules', '--no-warnings', join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci'], { cwd: app, env, timeout: 150_000 });

    const seen = JSON.parse(readFileSync(join(app, 'seen.json'), 'utf8')) as Record<string, unknown> & { env: Record<string, string>; outputs: Record<string, string> };
    expect(seen).toMatchObject({
      ana: { email: 'ana@example.com', password: 'string', sub: 'string', tokens: true },
      someone: expect.stringMatching(/^user-[0-9a-f]{12}@example\.com$/), conversation: 'string', scripted: { ok: true },
      again: { errorType: 'UsernameExistsException', status: 400 }, badEmail: { errorType: 'ValidationError', status: 400 },
    });
    expect(seen['errors']).toBeUndefined();
    expect(seen.outputs).toEqual({ url: seen.env['graphql'], pool: seen.env['pool'], client: seen.env['client'] });
    expect(seen.env['realtime']).toMatch(/^wss?:\/\//);
    expect(seen.env['cognito']).toMatch(/^https?:\/\//);
    // The teardown stopped it: nothing answers at its address any more.
    await expect(fetch(seen.env['graphql'] ?? '', { method: 'POST', signal: AbortSignal.timeout(5_000) })).rejects.toThrow();
  }, 180_000);

  it('gives Playwright tests, declared through the app\'s own @playwright/test, a sandbox and a user', async () => {
    const env = { ...process.env };
    delete env['JEST_WORKER_ID']; // Playwright refuses to declare tests under Jest
    const { stdout } = await run(process.execPath, [join(app, 'node_modules/@playwright/test/cli.js'), 'test', '--reporter=line'], { cwd: app, env, timeout: 150_000 })
      .catch((error: unknown) => error as { stdout: string });

    expect(stdout).toMatch(/\b1 passed\b/);
  }, 180_000);
});
