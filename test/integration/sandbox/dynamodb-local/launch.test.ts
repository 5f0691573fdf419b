import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDbLocalStartError, JavaMissingError, dynamoDbClient, launchDynamoDbLocal, listenerBelongsTo, type DynamoDbLocal,
} from '../../../../sandbox/dynamodb-local/launch.ts';
import { portAnswers, processGone, quietLogger, waitFor } from './local.ts';

const LAUNCH = resolve('sandbox/dynamodb-local/launch.ts');
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ddb-launch-'));
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function fakeJava(name: string, body: string): string {
  const path = join(scratch, name);
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "-version" ]; then exit 0; fi\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Runs launchDynamoDbLocal in another Node process and reads Java's pid and port from it. */
async function launchInChild(): Promise<{ parent: ReturnType<typeof spawn>; java: { pid: number; port: number } }> {
  // .mts: the scratch directory has no package.json saying the script is an ES module.
  const script = join(scratch, `parent-${Date.now()}.mts`);
  writeFileSync(script, [
    `import { launchDynamoDbLocal } from ${JSON.stringify(LAUNCH)};`,
    `import { createLogger } from ${JSON.stringify(resolve('sandbox/log.ts'))};`,
    'const local = await launchDynamoDbLocal({ log: createLogger("dynamodb", () => undefined) });',
    'console.log(JSON.stringify({ pid: local.pid, port: local.port }));',
    'setInterval(() => undefined, 1000);',
  ].join('\n'));
  const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: parent.stdout });
  const first = await new Promise<string>((done, fail) => {
    lines.once('line', done);
    parent.once('exit', (code) => fail(new Error(`the parent process exited (${code}) before launching DynamoDB Local`)));
  });
  return { parent, java: JSON.parse(first) as { pid: number; port: number } };
}

/** A server holding a port, as another test file's DynamoDB Local or sandbox would. */
async function holdPort(): Promise<Server & { port: number }> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, done));
  const address = server.address();
  return Object.assign(server, { port: typeof address === 'object' && address !== null ? address.port : 0 });
}

describe('launchDynamoDbLocal', () => {
  describe('with a running instance', () => {
    let local: DynamoDbLocal;

    beforeAll(async () => {
      local = await launchDynamoDbLocal({ log: quietLogger() });
    });

    afterAll(async () => {
      await local.stop();
    });

    it('answers DynamoDB requests at its endpoint', async () => {
      const client = dynamoDbClient(local.endpoint);

      const tables = await client.send(new ListTablesCommand({}));

      expect(tables.TableNames).toEqual([]);
      client.destroy();
    });

    it('listens on the port its endpoint names', () => {
      expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
    });
  });

  it('stops Java and frees the port', async () => {
    const local = await launchDynamoDbLocal({ log: quietLogger() });

    await local.stop();

    expect(processGone(local.pid)).toBe(true);
    expect(await portAnswers(local.port)).toBe(false);
  });

  it('keeps tables across restarts when given a dbPath', async () => {
    const dbPath = join(scratch, 'db');
    const first = await launchDynamoDbLocal({ log: quietLogger(), inMemory: false, dbPath });
    const firstClient = dynamoDbClient(first.endpoint);
    await firstClient.send(new CreateTableCommand({
      TableName: 'Kept', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }));
    firstClient.destroy();
    await first.stop();

    const second = await launchDynamoDbLocal({ log: quietLogger(), inMemory: false, dbPath });
    const secondClient = dynamoDbClient(second.endpoint);
    const tables = await secondClient.send(new ListTablesCommand({}));
    secondClient.destroy();
    await second.stop();

    expect(tables.TableNames).toEqual(['Kept']);
  });

  it('fails with JavaMissingError telling to install Java 17 when Java cannot be run', async () => {
    const launching = launchDynamoDbLocal({ log: quietLogger(), java: join(scratch, 'no-such-java') });

    await expect(launching).rejects.toThrow(JavaMissingError);
    await expect(launching).rejects.toThrow(/Install Java 17/);
  });

  it('reports what Java printed when it exits before answering', async () => {
    const java = fakeJava('exits', 'echo "Could not bind the port" >&2\nexit 3');

    const launching = launchDynamoDbLocal({ log: quietLogger(), java });

    await expect(launching).rejects.toThrow(DynamoDbLocalStartError);
    await expect(launching).rejects.toThrow(/exited \(3\)[\s\S]*Could not bind the port/);
  });

  it('gives up and stops Java when the port does not answer in time', async () => {
    const java = fakeJava('silent', 'exec sleep 30');

    const launching = launchDynamoDbLocal({ log: quietLogger(), java, readyTimeoutMs: 300 });

    await expect(launching).rejects.toThrow(/did not answer on port \d+ within 300 ms/);
  });

  it('tries another port when another process took its port before Java bound it, never talking to that process', async () => {
    const taken = await holdPort();
    const spare = await holdPort();
    const sparePort = spare.port;
    await new Promise((done) => spare.close(done));
    const offered: number[] = [];
    const ports = [taken.port, sparePort];

    const local = await launchDynamoDbLocal({
      log: quietLogger(),
      choosePort: () => {
        const port = ports.shift() ?? 0;
        offered.push(port);
        return Promise.resolve(port);
      },
    });
    const tables = await dynamoDbClient(local.endpoint).send(new ListTablesCommand({}));
    await local.stop();
    taken.close();

    expect(offered).toEqual([taken.port, sparePort]);
    expect(local.port).toBe(sparePort);
    expect(tables.TableNames).toEqual([]);
  });

  it('gives up with DynamoDbLocalStartError when its port is taken three times in a row', async () => {
    const taken = await holdPort();

    const launching = launchDynamoDbLocal({ log: quietLogger(), choosePort: () => Promise.resolve(taken.port) });

    await expect(launching).rejects.toThrow(/port taken 3 times in a row/);
    taken.close();
  });

  it('tells whose listener holds a port, from /proc', async () => {
    const server = await holdPort();

    expect(listenerBelongsTo(process.pid, server.port)).toBe(true);
    expect(listenerBelongsTo(process.ppid, server.port)).toBe(false);
    server.close();
  });

  it('takes Java with it when its parent process is killed', async () => {
    const { parent, java } = await launchInChild();

    parent.kill('SIGKILL');

    // The port itself is no evidence: another test file's DynamoDB Local may have been handed it since.
    await waitFor(() => processGone(java.pid), 'Java to exit after its parent was killed');
    expect(processGone(java.pid)).toBe(true);
  });

  it('stops Java and exits when its parent process receives SIGTERM', async () => {
    const { parent, java } = await launchInChild();
    const exited = new Promise<NodeJS.Signals | null>((done) => parent.once('exit', (_code, signal) => done(signal)));

    parent.kill('SIGTERM');

    expect(await exited).toBe('SIGTERM');
    await waitFor(() => processGone(java.pid), 'Java to exit after its parent was terminated');
  });
});
