// `npm start` in a copy of the repository, so the tests can edit sources: live reload of resolvers, broken edits
// that keep the last good code serving, and starts that fail with one clear message (no Java, bad infra, bad resolver).
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyRepository, graphql, readOutputs, runStart, signIn, type StartProcess } from './process.ts';

const repo = copyRepository();
const outputsPath = join(repo, 'amplify_outputs.json');
const args = ['--port', '0', '--state-dir', join(repo, '.sandbox')];
const HEALTH = join(repo, 'resolvers', 'Query.health.ts');
const original = readFileSync(HEALTH, 'utf8');
let run: StartProcess;
let token: string;

const health = async (): Promise<unknown> => (await graphql(readOutputs(outputsPath).data.url, token, 'query { health { status } }')).data?.health;

/** Makes an edit and returns the reload line it causes. */
const nextReload = async (edit: () => void): Promise<string> => {
  const from = run.output().length;
  edit();
  const [line] = await run.waitFor(/^(reloaded .+|reload: .+|reload failed.*\n.+)$/m, 60_000, from);
  return line;
};

beforeAll(async () => {
  run = runStart(args, { cwd: repo });
  await run.waitFor(/Sandbox ready in/, 180_000);
  const password = /Demo user +demo@example\.com \/ (\S+)/.exec(run.output())?.[1] ?? '';
  token = await signIn(readOutputs(outputsPath), 'demo@example.com', password);
}, 200_000);

afterAll(async () => {
  run.signal('SIGKILL');
  await run.exited;
  rmSync(dirname(repo), { recursive: true, force: true });
});

describe('npm start with live reload', () => {
  it('writes amplify_outputs.json to the working folder by default', () => {
    expect(readOutputs(outputsPath).data.default_authorization_type).toBe('AMAZON_COGNITO_USER_POOLS');
  });

  it('serves an edited resolver without a restart and says what was reloaded', async () => {
    const line = await nextReload(() => writeFileSync(HEALTH, original.replace("status: 'ok'", "status: 'edited'")));

    expect(line).toMatch(/^reloaded Query\.health in \d+ ms$/);
    expect(await health()).toEqual({ status: 'edited' });
  }, 70_000);

  it('keeps serving the last good code after an edit AppSync would refuse, naming the source line', async () => {
    const line = await nextReload(() => appendFileSync(HEALTH, '\nexport function spin(n: number) { let i = 0; while (i < n) { i = i + 1; } return i; }\n'));

    expect(line).toMatch(/reload failed \(resolvers\/\), still serving the last good code:\nresolvers\/Query\.health\.ts:\d+:\d+: While statements are not supported/);
    expect(await health()).toEqual({ status: 'edited' });
  }, 70_000);

  it('reports a syntax error as file:line:col and keeps serving', async () => {
    const line = await nextReload(() => writeFileSync(HEALTH, `${original}\nexport function broken( {\n`));

    expect(line).toMatch(/resolvers\/Query\.health\.ts:\d+:\d+: Expected/);
    expect(await health()).toEqual({ status: 'edited' });
  }, 70_000);

  it('serves the code again once the edit is fixed', async () => {
    const line = await nextReload(() => writeFileSync(HEALTH, original));

    expect(line).toMatch(/^reloaded Query\.health in \d+ ms$/);
    expect(await health()).toEqual({ status: 'ok' });
    run.signal('SIGINT');
    expect((await run.exited).code).toBe(0);
  }, 70_000);
});

describe('npm start refusing to start', () => {
  it('says Java is missing, without a stack trace, and exits 1', async () => {
    const noJava = runStart(args, { cwd: repo, env: { PATH: '/nonexistent' } });

    const { code } = await noJava.exited;

    expect(code).toBe(1);
    expect(noJava.output()).toContain('DynamoDB Local needs Java 17 or later');
    expect(noJava.output()).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('shows the first lines of an infra/ failure and exits 1', async () => {
    const table = join(repo, 'infra', 'table.ts');
    const kept = readFileSync(table, 'utf8');
    writeFileSync(table, `${kept}\nthrow new Error('the table is broken on purpose');\n`);

    const broken = runStart(args, { cwd: repo });
    const { code } = await broken.exited;
    writeFileSync(table, kept);

    expect(code).toBe(1);
    expect(broken.output()).toMatch(/infra\/ failed to synthesize:\nthe table is broken on purpose\n\nfix infra\/ and run npm start again/);
  }, 60_000);

  it('names a resolver AppSync would refuse and exits 1', async () => {
    writeFileSync(HEALTH, `${original}\nexport function spin(n: number) { let i = 0; while (i < n) { i = i + 1; } return i; }\n`);

    const refused = runStart(args, { cwd: repo });
    const { code } = await refused.exited;
    writeFileSync(HEALTH, original);

    expect(code).toBe(1);
    expect(refused.output()).toMatch(/resolvers\/Query\.health\.ts:\d+:\d+: While statements are not supported/);
    expect(refused.output()).not.toMatch(/\n\s+at /);
  }, 120_000);
});
