// resolvers/schema-types.ts is generated from schema.graphql: this fails when someone edits the
// schema and forgets `npm run codegen`, or edits the generated file by hand.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('generated schema types', () => {
  it('match what codegen.yml generates from schema.graphql now', async () => {
    // Act: codegen's check mode compares without writing, and exits 1 on a difference.
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(`${root}node_modules/.bin/graphql-codegen`, ['--config', 'codegen.yml', '--check'], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
      });
    });

    // Assert
    expect({ code: result.code, hint: result.code === 0 ? '' : `resolvers/schema-types.ts is stale: run npm run codegen\n${result.output}` }).toEqual({ code: 0, hint: '' });
  }, 60_000);
});
