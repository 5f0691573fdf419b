// cdk-nag's AwsSolutions pack over both stages: every finding is fixed or acknowledged with its reason.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AwsSolutionsChecks } from '../../../infra/nag.ts';
import { buildStage, type SynthesizedStage } from './synth.ts';

const stages: Record<'dev' | 'prod', SynthesizedStage | undefined> = { dev: undefined, prod: undefined };

beforeAll(() => {
  stages.dev = buildStage('dev');
  stages.prod = buildStage('prod');
}, 120_000);

afterAll(() => {
  stages.dev?.dispose();
  stages.prod?.dispose();
});

describe('cdk-nag AwsSolutions', () => {
  for (const stage of ['dev', 'prod'] as const) {
    it(`reports no unacknowledged error in ${stage}`, () => {
      const stack = stages[stage]?.stack;
      if (!stack) throw new Error(`${stage} was not built`);

      const report = new AwsSolutionsChecks().validateScope(stack);

      const errors = report.violations.filter((v) => v.severity === 'error').map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`);
      expect(errors).toEqual([]);
      expect(report.success).toBe(true);
    });
  }
});
