// Every template variant this repo ships, linted by cfn-lint (AWS's CloudFormation linter, checked against the
// resource specification): synth and cdk-nag accept templates CloudFormation would refuse at deploy time (e.g. E3031,
// a WAF web ACL Description with parentheses). cfn-lint is on the machines that run the tests (CONTRIBUTING.md).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { App } from 'aws-cdk-lib';
import { buildStage, type SynthesizedStage } from './synth.ts';

const VARIANTS: { name: string; stage: 'dev' | 'prod'; context: Record<string, unknown> }[] = [
  { name: 'dev', stage: 'dev', context: {} },
  { name: 'prod', stage: 'prod', context: {} },
  { name: 'dev on Bedrock', stage: 'dev', context: { claudeProvider: 'bedrock' } },
  { name: 'prod on Bedrock', stage: 'prod', context: { claudeProvider: 'bedrock' } },
];

const built: SynthesizedStage[] = [];
/** cfn-lint's error lines (E....) by template path: one run over every variant (each run starts Python and loads the spec). */
let errors: Map<string, string[]>;
const templateOf = (stage: SynthesizedStage): string => join(stage.outdir, `${stage.stack.stackName}.template.json`);
const badTemplate = (): string => join(built[0]?.outdir ?? '', 'bad.template.json');

beforeAll(() => {
  for (const { stage, context } of VARIANTS) {
    const synthesized = buildStage(stage, false, context);
    built.push(synthesized);
    (synthesized.stack.node.root as App).synth();
  }
  // A known-bad template in the same run shows the errors are read (and under their own template's path).
  writeFileSync(badTemplate(), JSON.stringify({ Resources: { Acl: { Type: 'AWS::WAFv2::WebACL', Properties: { Description: 'a (bad) description', DefaultAction: { Allow: {} }, Scope: 'REGIONAL', VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'm', SampledRequestsEnabled: true } } } } }));
  errors = lintErrors([...built.map(templateOf), badTemplate()]);
}, 240_000);

afterAll(() => {
  for (const stage of built) stage.dispose();
});

/** Warnings (W) and notes (I) are not failures. */
function lintErrors(templatePaths: string[]): Map<string, string[]> {
  const run = spawnSync('cfn-lint', ['--format', 'parseable', ...templatePaths], { encoding: 'utf8' });
  if (run.error) throw new Error(`cfn-lint could not run (${run.error.message}): install it with 'pip install cfn-lint'`);
  const lines = run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
  return new Map(templatePaths.map((path) => [path, lines.filter((line) => line.startsWith(`${path}:`))]));
}

describe('the synthesized templates under cfn-lint', () => {
  it.each(VARIANTS.map((variant, index) => ({ ...variant, index })))('has no error in the $name template', ({ index }) => {
    const stage = built[index];
    if (!stage) throw new Error('the variant was not synthesized');

    expect(errors.get(templateOf(stage))).toEqual([]);
  });

  it('reads cfn-lint\'s errors by template: a WAF Description with parentheses gives E3031 under its own path', () => {
    expect(errors.get(badTemplate())?.some((line) => line.includes(':E3031:'))).toBe(true);
  });
});
