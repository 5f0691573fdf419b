// Synthesizes infra/'s dev stage once for the whole run: every end-to-end test file serves the same
// template (synth with bundling takes seconds), each from its own sandbox. Workers inherit the path.
// It runs under tsx in a child process: jest loads global setup as CommonJS, which cdk-nag's ESM
// entry does not survive.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup(): void {
  if (process.env.PRODUCT_CDK_OUT) return;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const cdkOut = join(mkdtempSync(join(tmpdir(), 'product-synth-')), 'cdk.out');
  const output = execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'test/support/synth-product.ts'), cdkOut], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  process.env.PRODUCT_STACK_NAME = output.trim().split('\n').at(-1) ?? '';
  process.env.PRODUCT_CDK_OUT = cdkOut;
  process.env.PRODUCT_SYNTH_OWNED = 'true';
}
