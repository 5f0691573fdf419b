// Every template variant this repo ships, linted by cfn-lint (AWS's CloudFormation linter, checked against the
// resource specification): synth and cdk-nag accept templates CloudFormation would refuse at deploy time (e.g. E3031,
// a WAF web ACL Description with parentheses). cfn-lint is on the machines that run the tests (CONTRIBUTING.md).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { App } from 'aws-cdk-lib';
import { buildStage, type SynthesizedStage } from './synth.ts';

const VARIANTS: { name: string; stage: 'dev' | 'prod'; context: Record<string, unknown> }[] = [
  { name: 'dev', stage: 'dev', context: {} },
  { name: 'prod', stage: 'prod', context: {} },
  { name: 'dev on Bedrock', stage: 'dev', context: { claudeProvider: 'bedrock' } },
  { name: 'prod on Bedrock', stage: 'prod', context: { claudeProvider: 'bedrock' } },
];

const built: SynthesizedStage[] = [];

afterAll(() => {
  for (const stage of built) stage.dispose();
});

/** cfn-lint's error lines (E....) for one synthesized template; warnings (W) and notes (I) are not failures. */
function lintErrors(templatePath: string): string[] {
  const run = spawnSync('cfn-lint', ['--format', 'parseable', templatePath], { encoding: 'utf8' });
  if (run.error) throw new Error(`cfn-lint could not run (${run.error.message}): install it with 'pip install cfn-lint'`);
  return run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
}

describe('the synthesized templates under cfn-lint', () => {
  it.each(VARIANTS)('has no error in the $name template', ({ stage, context }) => {
    // Arrange
    const synthesized = buildStage(stage, false, context);
    built.push(synthesized);
    (synthesized.stack.node.root as App).synth();

    // Act
    const errors = lintErrors(join(synthesized.outdir, `${synthesized.stack.stackName}.template.json`));

    // Assert
    expect(errors).toEqual([]);
  }, 120_000);
});
