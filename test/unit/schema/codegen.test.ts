// The files codegen.yml generates are committed: resolvers/schema-types.ts from schema.graphql, and the client kit's
// typed documents, clients/kit/generated.ts, from clients/kit/documents/*.graphql. This fails when someone edits the
// schema or a document and forgets `npm run codegen`, edits a generated file by hand, or leaves a document that no
// longer matches the schema. The last two tests run the same check on a copy of the inputs, changed as a slip would.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** What codegen.yml reads and writes, relative to the repository's root. */
const CODEGEN_FILES = ['codegen.yml', 'schema.graphql', 'sandbox/appsync/aws-definitions.graphql', 'clients/kit/documents', 'resolvers/schema-types.ts', 'clients/kit/generated.ts'];

/**
 * codegen's check mode: compares what it would generate with the files, without writing, and exits 1 on a difference.
 * Without jest's NODE_ENV=test, with which codegen prints no task output, so no validation error.
 */
function check(cwd: string): Promise<{ code: number; output: string }> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  return new Promise((resolve) => {
    execFile(`${root}node_modules/.bin/graphql-codegen`, ['--config', 'codegen.yml', '--check'], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

const copies: string[] = [];

/** The inputs and outputs of codegen.yml in a temporary folder, node_modules linked for its plugins. */
function copyOfInputs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
  copies.push(dir);
  for (const path of CODEGEN_FILES) cpSync(join(root, path), join(dir, path), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** Replaces `from` in a copied file; fails the test when it is not there (the file changed since this test was written). */
function edit(dir: string, path: string, from: string | RegExp, to: string): void {
  const before = readFileSync(join(dir, path), 'utf8');
  const after = before.replace(from, to);
  expect(after).not.toBe(before);
  writeFileSync(join(dir, path), after);
}

/** The files codegen's check names as stale. */
const staleFiles = (output: string): string[] => [...output.matchAll(/^\W*- (\S+)$/gm)].map((m) => m[1] ?? '');

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('generated files', () => {
  it('match what codegen.yml generates from schema.graphql and the kit\'s documents now', async () => {
    // Act
    const result = await check(root);

    // Assert
    const hint = result.code === 0 ? '' : `stale or invalid: run npm run codegen (${staleFiles(result.output).join(', ') || 'see below'})\n${result.output}`;
    expect({ code: result.code, hint }).toEqual({ code: 0, hint: '' });
  }, 60_000);

  it('are found stale when a kit document changed without codegen', async () => {
    // Arrange: a field dropped from the Message fragment, generated.ts left as it was.
    const dir = copyOfInputs();
    edit(dir, 'clients/kit/documents/fragments.graphql', /^ {2}replyTo\n/m, '');

    // Act
    const result = await check(dir);

    // Assert
    expect({ code: result.code, stale: staleFiles(result.output) }).toEqual({ code: 1, stale: ['clients/kit/generated.ts'] });
  }, 60_000);

  it('are refused when a kit document no longer matches the schema', async () => {
    // Arrange: the schema loses a field the Message fragment selects.
    const dir = copyOfInputs();
    edit(dir, 'schema.graphql', /^ {2}replyTo: ID\n/m, '');

    // Act
    const result = await check(dir);

    // Assert
    expect(result.code).toBe(1);
    expect(result.output).toContain('Cannot query field "replyTo" on type "Message"');
  }, 60_000);
});
