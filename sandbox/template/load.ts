// Reads `cdk synth` output (the template and its assets manifest) into what the sandbox serves.
// The template is the only description of the API: nothing here is configured a second time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolve, resolveString, TemplateError, type Resource, type ResolveScope } from './intrinsics.ts';
import type { SecretModel } from '../aws/secrets-manager.ts';
import { physicalNames } from './physical-names.ts';

export { TemplateError } from './intrinsics.ts';

export type AuthenticationType = 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'API_KEY' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export interface AuthProvider {
  type: AuthenticationType;
  userPoolId?: string;
  appIdClientRegex?: string;
  defaultAction?: 'ALLOW' | 'DENY';
}

export interface CodeSource { code: string; path: string }

export interface DataSourceModel {
  name: string;
  type: 'AMAZON_DYNAMODB' | 'AWS_LAMBDA' | 'NONE' | 'HTTP';
  tableName?: string;
  functionName?: string;
  httpEndpoint?: string;
}

export interface FunctionModel { id: string; name: string; dataSourceName: string; code: CodeSource | null }

export interface ResolverModel {
  logicalId: string;
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  dataSourceName: string | null;
  /** null: a direct Lambda resolver (no code). */
  code: CodeSource | null;
  functionIds: string[];
}

export interface ApiModel {
  logicalId: string;
  apiId: string;
  name: string;
  auth: { default: AuthProvider; additional: AuthProvider[] };
  schema: string;
  dataSources: Map<string, DataSourceModel>;
  resolvers: ResolverModel[];
  functions: Map<string, FunctionModel>;
  apiKeys: { id: string; expires: number }[];
  environmentVariables: Record<string, string>;
}

export interface TableModel { logicalId: string; tableName: string; properties: Record<string, unknown> }

export interface LambdaModel {
  logicalId: string;
  name: string;
  codeDir: string;
  handler: string;
  runtime: string;
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  maxEventRetries: number;
}

export interface UserPoolModel {
  logicalId: string;
  poolId: string;
  properties: Record<string, unknown>;
  clients: { logicalId: string; clientId: string; properties: Record<string, unknown> }[];
}

export interface SandboxTemplate {
  stackName: string;
  region: string;
  accountId: string;
  api: ApiModel | null;
  tables: TableModel[];
  functions: LambdaModel[];
  userPools: UserPoolModel[];
  /** Secrets Manager secrets, served for GetSecretValue. */
  secrets: SecretModel[];
  outputs: Record<string, string>;
}

export interface LoadOptions {
  cdkOut: string;
  stackName: string;
  region?: string;
  accountId?: string;
  graphqlUrl: string;
  realtimeUrl: string;
}

/** A resolved scalar property as text (numbers and booleans as written). */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TypeError(`expected a string, got ${JSON.stringify(value)}`);
}

const SERVED = new Set(['AWS::AppSync::GraphQLApi', 'AWS::AppSync::GraphQLSchema', 'AWS::AppSync::DataSource', 'AWS::AppSync::Resolver',
  'AWS::AppSync::FunctionConfiguration', 'AWS::AppSync::ApiKey', 'AWS::DynamoDB::Table', 'AWS::Lambda::Function',
  'AWS::Lambda::EventInvokeConfig', 'AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::SecretsManager::Secret']);

export function loadTemplate(options: LoadOptions): SandboxTemplate {
  const templatePath = join(options.cdkOut, `${options.stackName}.template.json`);
  if (!existsSync(templatePath)) throw new Error(`${templatePath} not found: run 'npm run synth' (or let 'npm start' synthesize) first`);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources?: Record<string, Resource>; Outputs?: Record<string, { Value: unknown }> };
  const assets = readAssets(options.cdkOut, options.stackName);
  const resources = template.Resources ?? {};
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const physical = physicalNames(resources, options, region, accountId);
  const scope: ResolveScope = { region, accountId, stackName: options.stackName, physical: (id) => physical.get(id) };
  const of = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);
  const prop = (id: string, r: Resource, name: string): unknown => resolve(r.Properties?.[name], scope, { resource: id, property: name });
  const codeOf = (id: string, r: Resource): CodeSource | null => {
    if (typeof r.Properties?.Code === 'string') return { code: r.Properties.Code, path: `${id}.js` };
    if (r.Properties?.CodeS3Location === undefined) return null;
    const key = resolveString(r.Properties.CodeS3Location, scope, { resource: id, property: 'CodeS3Location' }).replace(/^s3:\/\/[^/]+\//, '');
    const path = assets.get(key);
    if (!path) throw new TemplateError(id, 'CodeS3Location', `asset ${key} is not in ${options.stackName}.assets.json`);
    return { code: readFileSync(path, 'utf8'), path };
  };
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type.startsWith('AWS::AppSync::') && !SERVED.has(r.Type)) {
      throw new TemplateError(id, 'Type', `${r.Type} is not supported by the sandbox`);
    }
    if (r.Type === 'AWS::AppSync::Resolver' && (r.Properties?.Runtime as { Name?: string } | undefined)?.Name !== 'APPSYNC_JS' && r.Properties?.RequestMappingTemplate !== undefined) {
      throw new TemplateError(id, 'RequestMappingTemplate', 'VTL resolvers are not supported by the sandbox; use APPSYNC_JS');
    }
  }

  const apis = of('AWS::AppSync::GraphQLApi');
  const [apiEntry] = apis;
  let api: ApiModel | null = null;
  if (apiEntry) {
    const [apiLogicalId, apiResource] = apiEntry;
    const belongs = (r: Resource): boolean => {
      const apiId = r.Properties?.ApiId;
      return apiId === undefined || resolve(apiId, scope, { resource: apiLogicalId, property: 'ApiId' }) === physical.get(apiLogicalId)?.attributes.ApiId;
    };
    const provider = (p: Record<string, unknown>): AuthProvider => {
      const pool = p.UserPoolConfig as Record<string, unknown> | undefined;
      const out: AuthProvider = { type: p.AuthenticationType as AuthenticationType };
      if (pool?.UserPoolId !== undefined) out.userPoolId = text(pool.UserPoolId);
      if (pool?.AppIdClientRegex !== undefined) out.appIdClientRegex = text(pool.AppIdClientRegex);
      if (pool?.DefaultAction !== undefined) out.defaultAction = pool.DefaultAction as 'ALLOW' | 'DENY';
      return out;
    };
    const apiProps = resolve(apiResource.Properties, scope, { resource: apiLogicalId, property: 'Properties' }) as Record<string, unknown>;
    const schemaEntry = of('AWS::AppSync::GraphQLSchema').find(([, r]) => belongs(r));
    if (!schemaEntry) throw new TemplateError(apiLogicalId, 'Schema', 'no AWS::AppSync::GraphQLSchema for this API');
    const definition = schemaEntry[1].Properties?.Definition;
    if (typeof definition !== 'string') throw new TemplateError(schemaEntry[0], 'Definition', 'only an inline schema Definition is supported (DefinitionS3Location is not)');

    const dataSources = new Map<string, DataSourceModel>();
    for (const [id, r] of of('AWS::AppSync::DataSource').filter(([, r]) => belongs(r))) {
      const typeName = text(prop(id, r, 'Type'));
      const type = typeName as DataSourceModel['type'];
      const model: DataSourceModel = { name: text(prop(id, r, 'Name')), type };
      if (type === 'AMAZON_DYNAMODB') model.tableName = String((prop(id, r, 'DynamoDBConfig') as Record<string, unknown>).TableName);
      else if (type === 'AWS_LAMBDA') model.functionName = String((prop(id, r, 'LambdaConfig') as Record<string, unknown>).LambdaFunctionArn).split(':').pop() ?? '';
      else if (type === 'HTTP') model.httpEndpoint = String((prop(id, r, 'HttpConfig') as Record<string, unknown>).Endpoint);
      else if (type !== 'NONE') throw new TemplateError(id, 'Type', `data source type ${typeName} is not supported by the sandbox`);
      dataSources.set(model.name, model);
    }
    const functions = new Map<string, FunctionModel>();
    for (const [id, r] of of('AWS::AppSync::FunctionConfiguration').filter(([, r]) => belongs(r))) {
      const functionId = physical.get(id)?.attributes.FunctionId ?? id;
      functions.set(functionId, { id: functionId, name: String(prop(id, r, 'Name')), dataSourceName: String(prop(id, r, 'DataSourceName')), code: codeOf(id, r) });
    }
    const resolvers = of('AWS::AppSync::Resolver').filter(([, r]) => belongs(r)).map(([id, r]): ResolverModel => {
      const pipeline = prop(id, r, 'PipelineConfig') as { Functions?: string[] } | undefined;
      const dataSourceName = prop(id, r, 'DataSourceName');
      return {
        logicalId: id,
        typeName: String(prop(id, r, 'TypeName')),
        fieldName: String(prop(id, r, 'FieldName')),
        kind: (prop(id, r, 'Kind') ?? 'UNIT') as 'UNIT' | 'PIPELINE',
        dataSourceName: dataSourceName === undefined ? null : text(dataSourceName),
        code: codeOf(id, r),
        functionIds: pipeline?.Functions ?? [],
      };
    });
    const apiKeys = of('AWS::AppSync::ApiKey').filter(([, r]) => belongs(r)).map(([id, r]) => ({
      id: physical.get(id)?.attributes.ApiKey ?? id,
      expires: Number(prop(id, r, 'Expires') ?? Math.floor(Date.now() / 1000) + 7 * 24 * 3600),
    }));
    api = {
      logicalId: apiLogicalId,
      apiId: physical.get(apiLogicalId)?.attributes.ApiId ?? apiLogicalId,
      name: String(apiProps.Name),
      auth: {
        default: provider(apiProps),
        additional: ((apiProps.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[]).map(provider),
      },
      schema: definition,
      dataSources,
      resolvers,
      functions,
      apiKeys,
      environmentVariables: (apiProps.EnvironmentVariables ?? {}) as Record<string, string>,
    };
  }

  const retries = new Map<string, number>();
  for (const [id, r] of of('AWS::Lambda::EventInvokeConfig')) {
    retries.set(String(prop(id, r, 'FunctionName')), Number(prop(id, r, 'MaximumRetryAttempts') ?? 2));
  }
  const functions = of('AWS::Lambda::Function').map(([id, r]): LambdaModel => {
    const name = physical.get(id)?.ref ?? id;
    const code = r.Properties?.Code as Record<string, unknown> | undefined;
    if (code?.ZipFile !== undefined) throw new TemplateError(id, 'Code.ZipFile', 'inline Lambda code is not supported by the sandbox; use an asset');
    const key = resolveString(code?.S3Key, scope, { resource: id, property: 'Code.S3Key' });
    const codeDir = assets.get(key);
    if (!codeDir) throw new TemplateError(id, 'Code.S3Key', `asset ${key} is not in ${options.stackName}.assets.json`);
    const env = (prop(id, r, 'Environment') as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    return {
      logicalId: id,
      name,
      codeDir,
      handler: text(prop(id, r, 'Handler') ?? 'index.handler'),
      runtime: text(prop(id, r, 'Runtime') ?? 'nodejs22.x'),
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      timeoutSeconds: Number(prop(id, r, 'Timeout') ?? 3),
      memoryMb: Number(prop(id, r, 'MemorySize') ?? 128),
      maxEventRetries: retries.get(name) ?? 2,
    };
  });
  const tables = of('AWS::DynamoDB::Table').map(([id, r]): TableModel => ({
    logicalId: id,
    tableName: physical.get(id)?.ref ?? id,
    properties: resolve(r.Properties ?? {}, scope, { resource: id, property: 'Properties' }) as Record<string, unknown>,
  }));
  const clients = of('AWS::Cognito::UserPoolClient');
  const userPools = of('AWS::Cognito::UserPool').map(([id, r]): UserPoolModel => ({
    logicalId: id,
    poolId: physical.get(id)?.ref ?? id,
    properties: resolve(r.Properties ?? {}, scope, { resource: id, property: 'Properties' }) as Record<string, unknown>,
    clients: clients
      .filter(([cid, c]) => resolve(c.Properties?.UserPoolId, scope, { resource: cid, property: 'UserPoolId' }) === physical.get(id)?.ref)
      .map(([cid, c]) => ({ logicalId: cid, clientId: physical.get(cid)?.ref ?? cid, properties: resolve(c.Properties ?? {}, scope, { resource: cid, property: 'Properties' }) as Record<string, unknown> })),
  }));
  const secrets: SecretModel[] = of('AWS::SecretsManager::Secret').map(([id, r]) => {
    const name = prop(id, r, 'Name');
    const secretString = prop(id, r, 'SecretString');
    return { logicalId: id, arn: physical.get(id)?.ref ?? id, name: typeof name === 'string' ? name : id, ...(typeof secretString === 'string' ? { secretString } : {}) };
  });
  const outputs: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    try {
      outputs[name] = String(resolve(output.Value, scope, { resource: `Outputs.${name}`, property: 'Value' }));
    } catch {
      // An output naming a resource the sandbox does not serve is simply not printed.
    }
  }
  return { stackName: options.stackName, region, accountId, api, tables, functions, userPools, secrets, outputs };
}

/** Maps asset object keys (`<hash>.js`, `<hash>.zip`) to files and folders in cdk.out. */
function readAssets(cdkOut: string, stackName: string): Map<string, string> {
  const map = new Map<string, string>();
  const path = join(cdkOut, `${stackName}.assets.json`);
  if (!existsSync(path)) return map;
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { files?: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }> };
  for (const file of Object.values(manifest.files ?? {})) {
    for (const destination of Object.values(file.destinations)) map.set(destination.objectKey, join(cdkOut, file.source.path));
  }
  return map;
}
