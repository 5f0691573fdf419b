// Once for the whole run, before any test file:
// - synthesizes infra/'s dev stage: every end-to-end test file serves the same template (synth with bundling takes
//   seconds), each from its own sandbox. It runs in a child process: jest loads global setup as CommonJS, which
//   cdk-nag's ESM entry does not survive.
// - starts one DynamoDB Local (dynamodb-for-tests.ts) that the test files' sandboxes share (test/support/sandbox-options.ts).
// Workers inherit both through the environment; global-teardown.ts ends them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

/** The shared DynamoDB Local's endpoint, the first line its launcher prints. */
function sharedDynamoDb(): { child: ChildProcess; endpoint: Promise<string> } {
  const child = spawn(tsx, [join(root, 'test/support/dynamodb-for-tests.ts')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const endpoint = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = /^(http:\/\/\S+)\n/.exec(out)?.[1];
      if (line) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the tests' DynamoDB Local did not start (exit ${code}): ${out}`)));
  });
  return { child, endpoint };
}

export default async function globalSetup(): Promise<void> {
  const dynamodb = process.env.SANDBOX_TEST_DYNAMODB ? null : sharedDynamoDb();
  if (!process.env.PRODUCT_CDK_OUT) {
    const cdkOut = join(mkdtempSync(join(tmpdir(), 'product-synth-')), 'cdk.out');
    // As npm start runs it (package.json): tsx's ESM hook only, not its CommonJS one, which lexes aws-cdk-lib's files.
    const output = execFileSync(process.execPath, ['--import', 'tsx/esm', join(root, 'test/support/synth-product.ts'), cdkOut], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    process.env.PRODUCT_STACK_NAME = output.trim().split('\n').at(-1) ?? '';
    process.env.PRODUCT_CDK_OUT = cdkOut;
    process.env.PRODUCT_SYNTH_OWNED = 'true';
  }
  if (dynamodb) {
    process.env.SANDBOX_TEST_DYNAMODB = await dynamodb.endpoint;
    (globalThis as { testDynamoDb?: ChildProcess }).testDynamoDb = dynamodb.child;
  }
}
