// The product's template for tests: infra/'s dev stage, synthesized once per run by global-setup.ts, or here when a
// test file runs on its own. infra/ (with aws-cdk-lib and cdk-nag) is imported only then: loading it costs every test
// file that starts the product a second or more of CPU.
import { join } from 'node:path';

export async function productTemplate(dir: string): Promise<{ cdkOut: string; stackName: string }> {
  const { PRODUCT_CDK_OUT: synthesized, PRODUCT_STACK_NAME: name } = process.env;
  if (synthesized && name) return { cdkOut: synthesized, stackName: name };
  const { synthesize } = await import('../../infra/app.ts');
  const cdkOut = join(dir, 'cdk.out');
  return { cdkOut, stackName: synthesize(cdkOut, 'dev') };
}
