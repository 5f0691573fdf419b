// Once for the whole run, before any test file:
// - synthesizes infra/'s dev stage: every end-to-end test file serves the same template (synth with bundling takes
//   seconds), each from its own sandbox. It runs in a child process: jest loads global setup as CommonJS, which
//   cdk-nag's ESM entry does not survive.
// - starts one DynamoDB Local (dynamodb-for-tests.ts) that the test files' sandboxes share (test/support/sandbox-options.ts);
// - makes one https certificate (make-certificate.ts) that they read instead of each making its own.
// Workers inherit all three through the environment; global-teardown.ts ends them.
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

/** A folder with the certificate made in it, by a child process running while the synth does. */
function sharedCertificate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-test-tls-'));
  const child = spawn(process.execPath, ['--import', 'tsx/esm', join(root, 'test/support/make-certificate.ts'), dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(dir) : reject(new Error(`the tests' certificate was not made (exit ${code})`))));
  });
}

export default async function globalSetup(): Promise<void> {
  const dynamodb = process.env.SANDBOX_TEST_DYNAMODB ? null : sharedDynamoDb();
  const certificate = process.env.SANDBOX_TEST_TLS_DIR ? null : sharedCertificate();
  if (!process.env.PRODUCT_CDK_OUT) {
    const cdkOut = join(mkdtempSync(join(tmpdir(), 'product-synth-')), 'cdk.out');
    // As npm start runs it (package.json): tsx's ESM hook only, not its CommonJS one, which lexes aws-cdk-lib's files.
    const output = execFileSync(process.execPath, ['--import', 'tsx/esm', join(root, 'test/support/synth-product.ts'), cdkOut], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    process.env.PRODUCT_STACK_NAME = output.trim().split('\n').at(-1) ?? '';
    process.env.PRODUCT_CDK_OUT = cdkOut;
    process.env.PRODUCT_SYNTH_OWNED = 'true';
  }
  if (certificate) process.env.SANDBOX_TEST_TLS_DIR = await certificate;
  if (dynamodb) {
    process.env.SANDBOX_TEST_DYNAMODB = await dynamodb.endpoint;
    (globalThis as { testDynamoDb?: ChildProcess }).testDynamoDb = dynamodb.child;
  }
}
