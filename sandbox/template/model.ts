// One model of the loaded template: every resource the sandbox serves, as its services read it. template/load.ts
// builds it from `cdk synth` output; each service starts from its part (sandbox/sandbox.ts hands the parts out).

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

/**
 * Per-request limits ("AWS::AppSync::GraphQLApi": QueryDepthLimit, ResolverCountLimit), as AppSync applies them:
 * no depth limit when the template sets none (or 0), and 10,000 resolvers a request when it sets no count (or 0).
 */
export interface ApiLimits { queryDepth: number | null; resolverCount: number }

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
  limits: ApiLimits;
}

export interface TableModel { logicalId: string; tableName: string; properties: Record<string, unknown> }

/**
 * An S3 bucket with the two configurations the sandbox's S3 applies, as resolved from the template (their CloudFormation
 * shapes, "AWS::S3::Bucket CorsConfiguration" and "LifecycleConfiguration"); undefined when the template sets none.
 */
export interface BucketModel { logicalId: string; bucketName: string; corsConfiguration?: unknown; lifecycleConfiguration?: unknown }

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

/** A Secrets Manager secret, served for GetSecretValue. */
export interface SecretModel {
  logicalId: string;
  arn: string;
  name: string;
  /** Its SecretString property, when the template sets one. */
  secretString?: string;
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
  /** S3 buckets, served by sandbox/s3/. */
  buckets: BucketModel[];
  outputs: Record<string, string>;
}

/** The pool the API's Cognito auth names, else the template's first: the one a page or a demo user signs in to. */
export function apiUserPool(template: SandboxTemplate): UserPoolModel | undefined {
  const auth = template.api?.auth;
  const poolId = [auth?.default, ...(auth?.additional ?? [])].find((p) => p?.type === 'AMAZON_COGNITO_USER_POOLS')?.userPoolId;
  return template.userPools.find((pool) => pool.poolId === poolId) ?? template.userPools[0];
}
