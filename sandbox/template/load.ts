// Reads `cdk synth` output (the template and its assets manifest) into the model the sandbox serves
// (template/model.ts). The template is the only description of the API: nothing here is configured a second time.
import { resolve, resolveString, TemplateError } from './intrinsics.ts';
import { loadApi } from './load-api.ts';
import type { BucketModel, LambdaModel, SandboxTemplate, SecretModel, TableModel, UserPoolModel } from './model.ts';
import { readSynthOutput, text, type LoadOptions, type SynthOutput } from './synth-output.ts';

export { TemplateError } from './intrinsics.ts';
export type { LoadOptions } from './synth-output.ts';

const SERVED = new Set(['AWS::AppSync::GraphQLApi', 'AWS::AppSync::GraphQLSchema', 'AWS::AppSync::DataSource', 'AWS::AppSync::Resolver',
  'AWS::AppSync::FunctionConfiguration', 'AWS::AppSync::ApiKey', 'AWS::DynamoDB::Table', 'AWS::Lambda::Function',
  'AWS::Lambda::EventInvokeConfig', 'AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::SecretsManager::Secret']);

export function loadTemplate(options: LoadOptions): SandboxTemplate {
  const synth = readSynthOutput(options);
  refuseUnsupported(synth);
  return {
    stackName: synth.stackName,
    region: synth.region,
    accountId: synth.accountId,
    api: loadApi(synth),
    tables: loadTables(synth),
    functions: loadFunctions(synth),
    userPools: loadUserPools(synth),
    secrets: loadSecrets(synth),
    buckets: loadBuckets(synth),
    outputs: loadOutputs(synth),
  };
}

/** AppSync resources the sandbox cannot serve stop the load, named, instead of failing at the first request. */
function refuseUnsupported(synth: SynthOutput): void {
  for (const [id, r] of Object.entries(synth.resources)) {
    if (r.Type.startsWith('AWS::AppSync::') && !SERVED.has(r.Type)) {
      throw new TemplateError(id, 'Type', `${r.Type} is not supported by the sandbox`);
    }
    if (r.Type === 'AWS::AppSync::Resolver' && (r.Properties?.Runtime as { Name?: string } | undefined)?.Name !== 'APPSYNC_JS' && r.Properties?.RequestMappingTemplate !== undefined) {
      throw new TemplateError(id, 'RequestMappingTemplate', 'VTL resolvers are not supported by the sandbox; use APPSYNC_JS');
    }
  }
}

/** Each AWS::Lambda::Function with its asset folder and the MaximumRetryAttempts of its EventInvokeConfig. */
function loadFunctions(synth: SynthOutput): LambdaModel[] {
  const retries = new Map<string, number>();
  for (const [id, r] of synth.of('AWS::Lambda::EventInvokeConfig')) {
    retries.set(String(synth.prop(id, r, 'FunctionName')), Number(synth.prop(id, r, 'MaximumRetryAttempts') ?? 2));
  }
  return synth.of('AWS::Lambda::Function').map(([id, r]): LambdaModel => {
    const name = synth.physical(id)?.ref ?? id;
    const code = r.Properties?.Code as Record<string, unknown> | undefined;
    if (code?.ZipFile !== undefined) throw new TemplateError(id, 'Code.ZipFile', 'inline Lambda code is not supported by the sandbox; use an asset');
    const key = resolveString(code?.S3Key, synth.scope, { resource: id, property: 'Code.S3Key' });
    const codeDir = synth.asset(key);
    if (!codeDir) throw new TemplateError(id, 'Code.S3Key', `asset ${key} is not in ${synth.stackName}.assets.json`);
    const env = (synth.prop(id, r, 'Environment') as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    return {
      logicalId: id,
      name,
      codeDir,
      handler: text(synth.prop(id, r, 'Handler') ?? 'index.handler'),
      runtime: text(synth.prop(id, r, 'Runtime') ?? 'nodejs22.x'),
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      timeoutSeconds: Number(synth.prop(id, r, 'Timeout') ?? 3),
      memoryMb: Number(synth.prop(id, r, 'MemorySize') ?? 128),
      maxEventRetries: retries.get(name) ?? 2,
    };
  });
}

function loadTables(synth: SynthOutput): TableModel[] {
  return synth.of('AWS::DynamoDB::Table').map(([id, r]) => ({ logicalId: id, tableName: synth.physical(id)?.ref ?? id, properties: synth.properties(id, r) }));
}

/** Each pool with the app clients whose UserPoolId names it. */
function loadUserPools(synth: SynthOutput): UserPoolModel[] {
  const clients = synth.of('AWS::Cognito::UserPoolClient');
  return synth.of('AWS::Cognito::UserPool').map(([id, r]) => {
    const poolId = synth.physical(id)?.ref ?? id;
    return {
      logicalId: id,
      poolId,
      properties: synth.properties(id, r),
      clients: clients
        .filter(([cid, c]) => resolve(c.Properties?.UserPoolId, synth.scope, { resource: cid, property: 'UserPoolId' }) === poolId)
        .map(([cid, c]) => ({ logicalId: cid, clientId: synth.physical(cid)?.ref ?? cid, properties: synth.properties(cid, c) })),
    };
  });
}

function loadSecrets(synth: SynthOutput): SecretModel[] {
  return synth.of('AWS::SecretsManager::Secret').map(([id, r]) => {
    const name = synth.prop(id, r, 'Name');
    const secretString = synth.prop(id, r, 'SecretString');
    return { logicalId: id, arn: synth.physical(id)?.ref ?? id, name: typeof name === 'string' ? name : id, ...(typeof secretString === 'string' ? { secretString } : {}) };
  });
}

/** Only the bucket's CORS and lifecycle are resolved: its other properties may name resources the sandbox does not serve (a KMS key). */
function loadBuckets(synth: SynthOutput): BucketModel[] {
  return synth.of('AWS::S3::Bucket').map(([id, r]) => {
    const cors = synth.prop(id, r, 'CorsConfiguration');
    const lifecycle = synth.prop(id, r, 'LifecycleConfiguration');
    return { logicalId: id, bucketName: synth.physical(id)?.ref ?? id, ...(cors === undefined ? {} : { corsConfiguration: cors }), ...(lifecycle === undefined ? {} : { lifecycleConfiguration: lifecycle }) };
  });
}

function loadOutputs(synth: SynthOutput): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(synth.outputs)) {
    try {
      outputs[name] = String(resolve(output.Value, synth.scope, { resource: `Outputs.${name}`, property: 'Value' }));
    } catch {
      // An output naming a resource the sandbox does not serve is simply not printed.
    }
  }
  return outputs;
}
