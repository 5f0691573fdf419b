// The names and attributes the sandbox gives each resource it serves: what Ref and Fn::GetAtt answer.
// Ids are derived from the stack and logical id, so they are the same at every start.
import { createHash } from 'node:crypto';
import type { PhysicalResource, Resource } from './intrinsics.ts';

/** Deterministic ids, so tokens and keys stay valid across restarts of the same stack. */
function stableId(seed: string, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string {
  const bytes = createHash('sha256').update(seed).digest();
  return Array.from(bytes.subarray(0, length), (b) => alphabet[b % alphabet.length]).join('');
}

/** The sandbox's physical names and attributes for every resource it serves. */
/** What names are made of: the stack, where it runs, and the URLs the sandbox serves the API on. */
export interface NamingScope { stackName: string; region: string; accountId: string; graphqlUrl: string; realtimeUrl: string }

// eslint-disable-next-line max-lines-per-function -- one case per resource type the sandbox names, each a few lines; split, the naming rules would be scattered
export function physicalNames(resources: Record<string, Resource>, options: NamingScope): Map<string, PhysicalResource> {
  const out = new Map<string, PhysicalResource>();
  const { region, accountId } = options;
  const seed = (id: string): string => `${options.stackName}/${id}`;
  const arn = (service: string, resource: string): string => `arn:aws:${service}:${region}:${accountId}:${resource}`;
  for (const [id, r] of Object.entries(resources)) {
    const named = (prop: string): string | undefined => (typeof r.Properties?.[prop] === 'string' ? r.Properties[prop] : undefined);
    switch (r.Type) {
      case 'AWS::DynamoDB::Table': {
        const name = named('TableName') ?? `${options.stackName}-${id}`;
        out.set(id, { ref: name, attributes: { Arn: arn('dynamodb', `table/${name}`), StreamArn: arn('dynamodb', `table/${name}/stream/sandbox`) } });
        break;
      }
      case 'AWS::Lambda::Function': {
        const name = named('FunctionName') ?? `${options.stackName}-${id}`.slice(0, 64);
        out.set(id, { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } });
        break;
      }
      case 'AWS::AppSync::GraphQLApi': {
        const apiId = stableId(seed(id), 26);
        const apiArn = arn('appsync', `apis/${apiId}`);
        out.set(id, { ref: apiArn, attributes: { ApiId: apiId, Arn: apiArn, GraphQLUrl: options.graphqlUrl, RealtimeUrl: options.realtimeUrl, GraphQLDns: new URL(options.graphqlUrl).host, RealtimeDns: new URL(options.realtimeUrl).host } });
        break;
      }
      case 'AWS::AppSync::FunctionConfiguration': {
        const functionId = stableId(seed(id), 26);
        out.set(id, { ref: functionId, attributes: { FunctionId: functionId, FunctionArn: arn('appsync', `functions/${functionId}`), Name: named('Name') ?? id } });
        break;
      }
      case 'AWS::AppSync::ApiKey': {
        const key = `da2-${stableId(seed(id), 26)}`;
        out.set(id, { ref: key, attributes: { ApiKey: key, Arn: arn('appsync', `apikeys/${key}`) } });
        break;
      }
      case 'AWS::AppSync::DataSource':
        out.set(id, { ref: id, attributes: { Name: named('Name') ?? id, DataSourceArn: arn('appsync', `datasources/${id}`) } });
        break;
      case 'AWS::Cognito::UserPool': {
        const poolId = `${region}_${stableId(seed(id), 9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`;
        out.set(id, { ref: poolId, attributes: { Arn: arn('cognito-idp', `userpool/${poolId}`), ProviderName: `cognito-idp.${region}.amazonaws.com/${poolId}`, ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${poolId}` } });
        break;
      }
      case 'AWS::Cognito::UserPoolClient': {
        const clientId = stableId(seed(id), 26);
        out.set(id, { ref: clientId, attributes: { ClientId: clientId, Name: named('ClientName') ?? id } });
        break;
      }
      case 'AWS::IAM::Role':
        out.set(id, { ref: `${options.stackName}-${id}`, attributes: { Arn: arn('iam', `role/${options.stackName}-${id}`).replace(`:${region}:`, '::'), RoleId: id } });
        break;
      case 'AWS::S3::Bucket': {
        // CloudFormation names an unnamed bucket stack-logicalid-suffix, lower-cased, at most 63 characters ("AWS::S3::Bucket", BucketName).
        const name = named('BucketName') ?? `${`${options.stackName}-${id}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 50)}-${stableId(seed(id), 12)}`;
        out.set(id, { ref: name, attributes: {
          Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com`, RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
          DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`, WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
        } });
        break;
      }
      case 'AWS::SecretsManager::Secret':
        out.set(id, { ref: arn('secretsmanager', `secret:${id}`), attributes: {} });
        break;
      default:
        break;
    }
  }
  return out;
}
