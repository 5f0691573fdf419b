// After `npm run deploy`: amplify_outputs.json for the deployed stack, so a front end moves from the sandbox to AWS by
// swapping one file. The stack's outputs (cdk deploy --outputs-file) give the ids and the URL; the synthesized
// template gives what they don't (the pool's password policy, the API's auth modes); sandbox/start/outputs.ts's
// outputsOf writes both files the same way.
//   tsx infra/write-outputs.ts <cdk outputs file> [<cdk.out>] [<amplify_outputs.json>]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputsOf, writeOutputs, type SandboxOutputs } from '../sandbox/start/outputs.ts';

interface TemplateJson { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> }

export class OutputsError extends Error {
  override readonly name = 'OutputsError';
}

/** AppSync's AuthenticationType in the outputs' words (Amplify's AuthorizationType names). */
const AUTH_TYPES: Record<string, string> = { AMAZON_COGNITO_USER_POOLS: 'AMAZON_COGNITO_USER_POOLS', AWS_IAM: 'AWS_IAM', API_KEY: 'API_KEY', OPENID_CONNECT: 'OPENID_CONNECT', AWS_LAMBDA: 'AWS_LAMBDA' };

function resourceOf(template: TemplateJson, type: string): Record<string, unknown> {
  const found = Object.values(template.Resources ?? {}).filter((resource) => resource.Type === type);
  if (found.length !== 1) throw new OutputsError(`the template has ${found.length} ${type} resources; expected one`);
  return found[0]?.Properties ?? {};
}

/** The outputs of one deployed stack (`outputs`: its stack outputs by key) and its synthesized template. */
export function deployedOutputs(outputs: Record<string, string>, template: TemplateJson): SandboxOutputs {
  const need = (key: string): string => {
    const value = outputs[key];
    if (!value) throw new OutputsError(`the stack has no ${key} output: was it deployed from this repository's infra/?`);
    return value;
  };
  const api = resourceOf(template, 'AWS::AppSync::GraphQLApi');
  const additional = Array.isArray(api.AdditionalAuthenticationProviders) ? (api.AdditionalAuthenticationProviders as { AuthenticationType?: string }[]) : [];
  const authType = (value: unknown): string => AUTH_TYPES[String(value)] ?? String(value);
  return outputsOf({
    region: need('Region'),
    userPool: { poolId: need('UserPoolId'), clientId: need('UserPoolClientId'), properties: resourceOf(template, 'AWS::Cognito::UserPool') },
    api: { url: need('GraphQLUrl'), defaultAuthorizationType: authType(api.AuthenticationType), additionalAuthorizationTypes: additional.map((p) => authType(p.AuthenticationType)) },
  });
}

/** Reads `cdk deploy --outputs-file`'s file: the one stack in it, or the one named `stackName`. */
export function stackOutputs(path: string, stackName?: string): { stackName: string; outputs: Record<string, string> } {
  let file: Record<string, Record<string, string>>;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, string>>;
  } catch (error) {
    throw new OutputsError(`cannot read the stack outputs in ${path} (${error instanceof Error ? error.message : String(error)}); run npm run deploy, which writes them`);
  }
  const names = stackName ? [stackName] : Object.keys(file);
  const name = names[0];
  if (names.length !== 1 || name === undefined || !file[name]) throw new OutputsError(`${path} holds the stacks ${Object.keys(file).join(', ') || 'none'}; name one with STACK=`);
  return { stackName: name, outputs: file[name] };
}

export function main(args: readonly string[], env: Record<string, string | undefined> = process.env): string {
  const [outputsFile = 'cdk.out/stack-outputs.json', cdkOut = 'cdk.out', target = 'amplify_outputs.json'] = args;
  const { stackName, outputs } = stackOutputs(outputsFile, env['STACK']);
  const template = JSON.parse(readFileSync(join(cdkOut, `${stackName}.template.json`), 'utf8')) as TemplateJson;
  writeOutputs(target, deployedOutputs(outputs, template));
  return `wrote ${target} for ${stackName} (${outputs['GraphQLUrl'] ?? ''})`;
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  try {
    console.log(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`write-outputs: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
