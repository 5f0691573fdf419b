// Synthesizes infra/'s dev stage once for the whole run: every end-to-end test file serves the same
// template (synth with bundling takes seconds), each from its own sandbox. Workers inherit the path.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesize } from '../../infra/app.ts';

export default function globalSetup(): void {
  if (process.env.PRODUCT_CDK_OUT) return;
  const cdkOut = join(mkdtempSync(join(tmpdir(), 'product-synth-')), 'cdk.out');
  process.env.PRODUCT_STACK_NAME = synthesize(cdkOut, 'dev');
  process.env.PRODUCT_CDK_OUT = cdkOut;
}
