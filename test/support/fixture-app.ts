// A CDK app for a test's own small stack: no asset bundling, and no built-in CloudFormation validation (a WebAssembly
// validator that costs ~4 s of CPU per synth; the product's templates are checked by cfn-lint in
// test/unit/infra/cfn-lint.test.ts instead).
import { App } from 'aws-cdk-lib';

export function fixtureApp(outdir: string): App {
  return new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
}
