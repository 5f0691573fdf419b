// A DynamoDB Local handed to the sandbox while it launches (sandbox/sandbox.ts, the dynamodbLocal option), as
// `npm start` hands over the one it launches first thing (sandbox/start.ts): the sandbox serves from it, owns it from
// the hand-over, stops it when it stops or its start fails, and a failed launch fails the start with the launch's error.
import { createServer } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { TableDefinitionError } from '../../../../sandbox/dynamodb-local/tables.ts';
import { JavaMissingError, dynamoDbClient, launchDynamoDbLocal, type DynamoDbLocal } from '../../../../sandbox/dynamodb-local/launch.ts';
import { memorySink } from '../../../../sandbox/log.ts';
import { startSandbox, type SandboxOptions } from '../../../../sandbox/sandbox.ts';
import { synthTestApp } from '../../../fixtures/api/stack.ts';
import { portAnswers, processGone, quietLogger } from './local.ts';

let dir: string;
let cdkOut: string;
let stackName: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddb-handed-over-'));
  cdkOut = join(dir, 'cdk.out');
  stackName = synthTestApp(cdkOut);
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The test template's sandbox with DynamoDB Local handed over; no shared DynamoDB Local. */
function options(name: string, dynamodbLocal: Promise<DynamoDbLocal>): SandboxOptions {
  return { cdkOut, stackName, stateDir: join(dir, name), logSink: memorySink(), dynamodbLocal };
}

describe('a DynamoDB Local handed to the sandbox while it launches', () => {
  it('serves the template\'s tables from it, and stops its Java when the sandbox stops', async () => {
    const launching = launchDynamoDbLocal({ log: quietLogger() });

    const sandbox = await startSandbox(options('serves', launching));
    const local = await launching;
    const client = dynamoDbClient(local.endpoint);
    const tables = await client.send(new ListTablesCommand({}));
    client.destroy();
    await sandbox.stop();

    expect(sandbox.dynamodb.endpoint).toBe(local.endpoint);
    expect(tables.TableNames).toEqual(sandbox.template.tables.map((table) => table.tableName).sort());
    expect(processGone(local.pid)).toBe(true);
    expect(await portAnswers(local.port)).toBe(false);
  });

  it('stops it when the start fails after the hand-over', async () => {
    const launching = launchDynamoDbLocal({ log: quietLogger() });

    await expect(startSandbox({ ...options('fails', launching), stackName: 'NoSuchStack' })).rejects.toThrow(/NoSuchStack/);
    const local = await launching;

    expect(processGone(local.pid)).toBe(true);
    expect(await portAnswers(local.port)).toBe(false);
  });

  it('stops it, and the services started while the tables were being created, when creating the tables fails', async () => {
    // The test template with a table property DynamoDB Local cannot honour: its CreateTable input is refused.
    const broken = join(dir, 'broken-cdk.out');
    cpSync(cdkOut, broken, { recursive: true });
    const templateFile = join(broken, `${stackName}.template.json`);
    const template = JSON.parse(readFileSync(templateFile, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const table = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::DynamoDB::Table');
    if (!table) throw new Error('the test template has no table');
    table.Properties.NoSuchProperty = true;
    writeFileSync(templateFile, JSON.stringify(template));
    const launching = launchDynamoDbLocal({ log: quietLogger() });
    // A port free a moment ago for the sandbox's front server, so the test can see it closed afterwards.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });

    await expect(startSandbox({ ...options('tables-fail', launching), cdkOut: broken, port })).rejects.toThrow(TableDefinitionError);
    const local = await launching;

    expect(processGone(local.pid)).toBe(true);
    expect(await portAnswers(local.port)).toBe(false);
    expect(await portAnswers(port)).toBe(false);
  });

  it('fails the start with JavaMissingError telling to install Java 17 when Java cannot be run, as a launch of its own does', async () => {
    const launching = launchDynamoDbLocal({ log: quietLogger(), java: join(dir, 'no-such-java') });

    const starting = startSandbox(options('no-java', launching));

    await expect(starting).rejects.toThrow(JavaMissingError);
    await expect(starting).rejects.toThrow(/Install Java 17/);
  });

  it('refuses a shared DynamoDB Local given with it', async () => {
    // A launch that fails at once: the refusal comes before any wait on it, and no Java is spent on this test.
    const launching = launchDynamoDbLocal({ log: quietLogger(), java: join(dir, 'no-such-java') });

    await expect(startSandbox({ ...options('both', launching), dynamodb: { endpoint: 'http://127.0.0.1:1' } })).rejects.toThrow('dynamodbLocal and dynamodb both name a DynamoDB Local: give one');
  });
});
