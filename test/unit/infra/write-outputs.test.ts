// amplify_outputs.json for a deployed stack (infra/write-outputs.ts), from the dev stage's synthesized template and
// outputs as `cdk deploy --outputs-file` writes them; read back with aws-amplify's own parser, as a front end does.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { deployedOutputs, main, OutputsError, stackOutputs } from '../../../infra/write-outputs.ts';
import { buildStage, type SynthesizedStage } from './synth.ts';

const DEPLOYED = {
  GraphQLUrl: 'https://abcdefghij.appsync-api.eu-west-1.amazonaws.com/graphql',
  Region: 'eu-west-1',
  UserPoolId: 'eu-west-1_AbCdEfGhI',
  UserPoolClientId: '1a2b3c4d5e6f7g8h9i0j1k2l3m',
  TableName: 'ChatApi-dev-Table',
};

let dev: SynthesizedStage;
let template: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
let folder: string;

beforeAll(() => {
  dev = buildStage('dev');
  template = Template.fromStack(dev.stack).toJSON() as typeof template;
  folder = mkdtempSync(join(tmpdir(), 'write-outputs-'));
});

afterAll(() => {
  dev.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe('amplify_outputs.json for a deployed stack', () => {
  it('configures Amplify with the stack\'s pool, client, region and endpoint, and the template\'s auth modes', () => {
    const outputs = deployedOutputs(DEPLOYED, template);

    const config = parseAmplifyConfig(outputs);
    expect(config.Auth?.Cognito).toMatchObject({ userPoolId: DEPLOYED.UserPoolId, userPoolClientId: DEPLOYED.UserPoolClientId });
    expect(config.API?.GraphQL).toMatchObject({ endpoint: DEPLOYED.GraphQLUrl, region: 'eu-west-1', defaultAuthMode: 'userPool' });
    expect(outputs.data?.authorization_types).toEqual(['AWS_IAM']);
    expect(outputs.auth?.password_policy).toEqual(expect.objectContaining({ min_length: expect.any(Number) }));
    expect(outputs.custom).toBeUndefined();
  });

  it('is written by main from cdk deploy\'s outputs file and cdk.out', () => {
    writeFileSync(join(folder, 'stack-outputs.json'), JSON.stringify({ 'ChatApi-dev': DEPLOYED }));
    writeFileSync(join(folder, 'ChatApi-dev.template.json'), JSON.stringify(template));
    const target = join(folder, 'amplify_outputs.json');

    const said = main([join(folder, 'stack-outputs.json'), folder, target], {});

    expect(said).toBe(`wrote ${target} for ChatApi-dev (${DEPLOYED.GraphQLUrl})`);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual(deployedOutputs(DEPLOYED, template));
  });

  it('says what to do when the outputs file is missing, holds several stacks, or lacks an output', () => {
    writeFileSync(join(folder, 'two.json'), JSON.stringify({ 'ChatApi-dev': DEPLOYED, 'ChatApi-prod': DEPLOYED }));

    expect(() => stackOutputs(join(folder, 'missing.json'))).toThrow(/run npm run deploy, which writes them/);
    expect(() => stackOutputs(join(folder, 'two.json'))).toThrow('holds the stacks ChatApi-dev, ChatApi-prod; name one with STACK=');
    expect(stackOutputs(join(folder, 'two.json'), 'ChatApi-prod').stackName).toBe('ChatApi-prod');
    expect(() => deployedOutputs({ ...DEPLOYED, UserPoolId: '' }, template)).toThrow(OutputsError);
    expect(() => deployedOutputs(DEPLOYED, { Resources: {} })).toThrow('the template has 0 AWS::AppSync::GraphQLApi resources; expected one');
  });
});
