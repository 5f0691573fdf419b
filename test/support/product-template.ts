// The product's template for tests: infra/'s dev stage, synthesized once per run by global-setup.ts, or here when a
// test file runs on its own.
import { join } from 'node:path';
import { synthesize } from '../../infra/app.ts';

export function productTemplate(dir: string): { cdkOut: string; stackName: string } {
  const cdkOut = process.env.PRODUCT_CDK_OUT ?? join(dir, 'cdk.out');
  const stackName = process.env.PRODUCT_STACK_NAME ?? synthesize(cdkOut, 'dev');
  return { cdkOut, stackName };
}
