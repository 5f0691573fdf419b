// The template's AppSync API: its schema, authorization modes, data sources, resolvers, pipeline functions and keys
// ("AWS::AppSync::*" in the AWS CloudFormation resource reference).
import { resolve, TemplateError, type Resource } from './intrinsics.ts';
import type { ApiLimits, ApiModel, AuthenticationType, AuthProvider, DataSourceModel, FunctionModel, ResolverModel } from './model.ts';
import { text, type SynthOutput } from './synth-output.ts';

export function loadApi(synth: SynthOutput): ApiModel | null {
  const [apiEntry] = synth.of('AWS::AppSync::GraphQLApi');
  if (!apiEntry) return null;
  const [apiLogicalId, apiResource] = apiEntry;
  const apiId = synth.physical(apiLogicalId)?.attributes.ApiId;
  const belongs = ([, r]: [string, Resource]): boolean => {
    const ref = r.Properties?.ApiId;
    return ref === undefined || resolve(ref, synth.scope, { resource: apiLogicalId, property: 'ApiId' }) === apiId;
  };
  const ofApi = (type: string): [string, Resource][] => synth.of(type).filter(belongs);
  const apiProps = resolve(apiResource.Properties, synth.scope, { resource: apiLogicalId, property: 'Properties' }) as Record<string, unknown>;
  return {
    logicalId: apiLogicalId,
    apiId: apiId ?? apiLogicalId,
    name: String(apiProps.Name),
    auth: {
      default: authProvider(apiProps),
      additional: ((apiProps.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[]).map(authProvider),
    },
    schema: schemaDefinition(apiLogicalId, ofApi('AWS::AppSync::GraphQLSchema')),
    dataSources: dataSources(synth, ofApi('AWS::AppSync::DataSource')),
    resolvers: ofApi('AWS::AppSync::Resolver').map(([id, r]) => resolver(synth, id, r)),
    functions: pipelineFunctions(synth, ofApi('AWS::AppSync::FunctionConfiguration')),
    apiKeys: ofApi('AWS::AppSync::ApiKey').map(([id, r]) => ({
      id: synth.physical(id)?.attributes.ApiKey ?? id,
      expires: Number(synth.prop(id, r, 'Expires') ?? Math.floor(Date.now() / 1000) + 7 * 24 * 3600),
    })),
    environmentVariables: (apiProps.EnvironmentVariables ?? {}) as Record<string, string>,
    limits: apiLimits(apiLogicalId, apiProps),
  };
}

/** "AWS::AppSync::GraphQLApi": QueryDepthLimit 1 to 75, ResolverCountLimit 1 to 10,000; 0 or absent is AppSync's default. */
function apiLimits(apiLogicalId: string, apiProps: Record<string, unknown>): ApiLimits {
  const limit = (property: string, max: number): number => {
    const raw = apiProps[property] ?? 0;
    // CloudFormation takes an Integer property as a number or a numeric string.
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      throw new TemplateError(apiLogicalId, property, `must be an integer from 0 to ${max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  const queryDepth = limit('QueryDepthLimit', 75);
  const resolverCount = limit('ResolverCountLimit', 10_000);
  return { queryDepth: queryDepth === 0 ? null : queryDepth, resolverCount: resolverCount === 0 ? 10_000 : resolverCount };
}

function authProvider(p: Record<string, unknown>): AuthProvider {
  const pool = p.UserPoolConfig as Record<string, unknown> | undefined;
  const out: AuthProvider = { type: p.AuthenticationType as AuthenticationType };
  if (pool?.UserPoolId !== undefined) out.userPoolId = text(pool.UserPoolId);
  if (pool?.AppIdClientRegex !== undefined) out.appIdClientRegex = text(pool.AppIdClientRegex);
  if (pool?.DefaultAction !== undefined) out.defaultAction = pool.DefaultAction as 'ALLOW' | 'DENY';
  return out;
}

function schemaDefinition(apiLogicalId: string, schemas: [string, Resource][]): string {
  const [schemaEntry] = schemas;
  if (!schemaEntry) throw new TemplateError(apiLogicalId, 'Schema', 'no AWS::AppSync::GraphQLSchema for this API');
  const definition = schemaEntry[1].Properties?.Definition;
  if (typeof definition !== 'string') throw new TemplateError(schemaEntry[0], 'Definition', 'only an inline schema Definition is supported (DefinitionS3Location is not)');
  return definition;
}

function dataSources(synth: SynthOutput, entries: [string, Resource][]): Map<string, DataSourceModel> {
  const out = new Map<string, DataSourceModel>();
  for (const [id, r] of entries) {
    const typeName = text(synth.prop(id, r, 'Type'));
    const type = typeName as DataSourceModel['type'];
    const model: DataSourceModel = { name: text(synth.prop(id, r, 'Name')), type };
    const config = (name: string): Record<string, unknown> => synth.prop(id, r, name) as Record<string, unknown>;
    if (type === 'AMAZON_DYNAMODB') model.tableName = String(config('DynamoDBConfig').TableName);
    else if (type === 'AWS_LAMBDA') model.functionName = String(config('LambdaConfig').LambdaFunctionArn).split(':').pop() ?? '';
    else if (type === 'HTTP') model.httpEndpoint = String(config('HttpConfig').Endpoint);
    else if (type !== 'NONE') throw new TemplateError(id, 'Type', `data source type ${typeName} is not supported by the sandbox`);
    out.set(model.name, model);
  }
  return out;
}

function pipelineFunctions(synth: SynthOutput, entries: [string, Resource][]): Map<string, FunctionModel> {
  const out = new Map<string, FunctionModel>();
  for (const [id, r] of entries) {
    const functionId = synth.physical(id)?.attributes.FunctionId ?? id;
    out.set(functionId, { id: functionId, name: String(synth.prop(id, r, 'Name')), dataSourceName: String(synth.prop(id, r, 'DataSourceName')), code: synth.codeOf(id, r) });
  }
  return out;
}

function resolver(synth: SynthOutput, id: string, r: Resource): ResolverModel {
  const pipeline = synth.prop(id, r, 'PipelineConfig') as { Functions?: string[] } | undefined;
  const dataSourceName = synth.prop(id, r, 'DataSourceName');
  return {
    logicalId: id,
    typeName: String(synth.prop(id, r, 'TypeName')),
    fieldName: String(synth.prop(id, r, 'FieldName')),
    kind: (synth.prop(id, r, 'Kind') ?? 'UNIT') as 'UNIT' | 'PIPELINE',
    dataSourceName: dataSourceName === undefined ? null : text(dataSourceName),
    code: synth.codeOf(id, r),
    functionIds: pipeline?.Functions ?? [],
  };
}
