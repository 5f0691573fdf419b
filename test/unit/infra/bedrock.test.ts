// The stack with `-c claudeProvider=bedrock`: no Anthropic key, the chat function told to call Bedrock, and allowed
// to stream the configured model only. Not deployed from here: the ARN forms follow Bedrock's IAM reference.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkJsonContext } from '../../../infra/app.ts';
import { AwsSolutionsChecks } from '../../../infra/nag.ts';
import { actionsOf, buildStage, lambdaOf, statementsOf, type SynthesizedStage } from './synth.ts';

let profile: SynthesizedStage;
let foundation: SynthesizedStage;
let template: Template;

beforeAll(() => {
  profile = buildStage('dev', false, { claudeProvider: 'bedrock' });
  foundation = buildStage('prod', false, { claudeProvider: 'bedrock', modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', models: 'anthropic.claude-3-5-haiku-20241022-v1:0,eu.anthropic.claude-haiku-4-5' });
  template = Template.fromStack(profile.stack);
}, 120_000);

afterAll(() => {
  profile.dispose();
  foundation.dispose();
});

function bedrockStatements(stage: Template): { Action: unknown; Resource: unknown }[] {
  const [, chat] = lambdaOf(stage, 'chat');
  return statementsOf(stage, chat).filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
}

describe('the stack with Claude on Bedrock', () => {
  it('tells the chat function to call Bedrock, with the global inference profile as default model, and keeps no key', () => {
    const [, chat] = lambdaOf(template, 'chat');
    const variables = (chat.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(variables).toMatchObject({ CLAUDE_PROVIDER: 'bedrock', MODEL_ID: 'global.anthropic.claude-sonnet-4-6' });
    expect(variables.ANTHROPIC_SECRET_ARN).toBeUndefined();
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(Object.keys(template.findOutputs('AnthropicSecretArn'))).toEqual([]);
  });

  it('lets the chat function stream only the profile and its foundation model', () => {
    const statements = bedrockStatements(template);

    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0] ?? { Action: [] })).toEqual(['bedrock:InvokeModelWithResponseStream']);
    const resources = JSON.stringify(statements[0]?.Resource);
    expect(resources).toContain(':inference-profile/global.anthropic.claude-sonnet-4-6');
    expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-sonnet-4-6');
  });

  it('grants every offered model, a regional foundation model ARN for an id that is not a profile, and offers them to the API', () => {
    const stage = Template.fromStack(foundation.stack);
    const resources = JSON.stringify(bedrockStatements(stage)[0]?.Resource);

    expect(resources).toMatch(/:bedrock:",\{"Ref":"AWS::Region"\},"::foundation-model\/anthropic\.claude-3-5-haiku-20241022-v1:0"/);
    expect(resources).toContain(':inference-profile/eu.anthropic.claude-haiku-4-5');
    expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5');
    stage.hasResourceProperties('AWS::AppSync::GraphQLApi', { EnvironmentVariables: { MODELS: 'anthropic.claude-3-5-haiku-20241022-v1:0,eu.anthropic.claude-haiku-4-5' } });
  });

  it('passes cdk-nag with the wildcard region acknowledged', () => {
    for (const stage of [profile, foundation]) {
      const report = new AwsSolutionsChecks().validateScope(stage.stack);
      expect(report.violations.filter((v) => v.severity === 'error').map((v) => v.ruleName)).toEqual([]);
    }
  });

  it('refuses an unknown provider clearly', () => {
    expect(() => buildStage('dev', false, { claudeProvider: 'openai' })).toThrow("context claudeProvider=\"openai\": expected 'anthropic' or 'bedrock'");
  });
});

describe('cdk.json context in an in-process synth', () => {
  it('is read when the CDK CLI did not pass it, so npm start serves what deploy would deploy', () => {
    const root = mkdtempSync(join(tmpdir(), 'cdk-json-'));
    writeFileSync(join(root, 'cdk.json'), JSON.stringify({ app: 'x', context: { claudeProvider: 'bedrock' } }));

    expect(cdkJsonContext(root, {})).toEqual({ claudeProvider: 'bedrock' });
    expect(cdkJsonContext(root, { CDK_CONTEXT_JSON: '{}' })).toEqual({});
    expect(cdkJsonContext(join(root, 'missing'), {})).toEqual({});
    rmSync(root, { recursive: true, force: true });
  });
});
