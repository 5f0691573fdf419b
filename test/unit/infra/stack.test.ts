// The chat stack's resources in dev and prod: table, functions, IAM, API settings, WAF and outputs.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { actionsOf, buildStage, lambdaOf, statementsOf, type Resources, type SynthesizedStage } from './synth.ts';

let dev: SynthesizedStage;
let prod: SynthesizedStage;
let devTemplate: Template;
let prodTemplate: Template;

beforeAll(() => {
  dev = buildStage('dev');
  prod = buildStage('prod');
  devTemplate = Template.fromStack(dev.stack);
  prodTemplate = Template.fromStack(prod.stack);
}, 120_000);

afterAll(() => {
  dev.dispose();
  prod.dispose();
});


describe('the chat stack', () => {
  it('keys the table on string pk and sk, billed per request, with TTL on expiresAt', () => {
    devTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: Match.arrayWith([{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }]),
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('indexes conversations by recency on gsi1pk and gsi1sk', () => {
    devTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [{
        IndexName: 'byUpdatedAt',
        KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      }],
    });
  });

  it('turns on point-in-time recovery and deletion protection in prod only', () => {
    prodTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    devTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      DeletionProtectionEnabled: false,
    });
  });

  it('puts a WAF web ACL with a per-IP rate rule on the API in prod only', () => {
    prodTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP' }) } })],
    });
    prodTemplate.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Api'), 'Arn'] },
    });
    devTemplate.resourceCountIs('AWS::WAFv2::WebACL', 0);
    devTemplate.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('runs the chat function on Node 22, arm64, 512 MB and 300 s', () => {
    const [, chat] = lambdaOf(devTemplate, 'chat');

    expect(chat).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 512, Timeout: 300, Handler: 'index.handler' });
  });

  it('invokes the chat function asynchronously with no retries and a failure queue', () => {
    const [chatId] = lambdaOf(devTemplate, 'chat');

    devTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: chatId },
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatFailedEvents'), 'Arn'] } } },
    });
  });

  it('gives the chat function every setting it reads from its environment', () => {
    const [, chat] = lambdaOf(devTemplate, 'chat');
    const variables = (chat.Environment as { Variables: Record<string, unknown> }).Variables;

    expect(Object.keys(variables).sort()).toEqual([
      'ANTHROPIC_SECRET_ARN', 'ATTACHMENT_BUCKET', 'CHECKPOINT_MS', 'FLUSH_MS', 'GRAPHQL_URL', 'HISTORY_TOKEN_BUDGET', 'LEASE_MS', 'MAX_TOKENS',
      'MODEL_ID', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME', 'STAGE', 'TABLE_NAME', 'TOOL_FUNCTION_CONVERT_UNITS', 'TOOL_MAX_ITERATIONS',
    ]);
    expect(variables.GRAPHQL_URL).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/Api/), 'GraphQLUrl'] });
  });

  it('lets the chat function call appsync:GraphQL only on Mutation.publishReplyEvent', () => {
    const [, chat] = lambdaOf(devTemplate, 'chat');
    const graphql = statementsOf(devTemplate, chat).filter((s) => actionsOf(s).some((a) => a.startsWith('appsync:')));

    expect(graphql).toHaveLength(1);
    expect(actionsOf(graphql[0] ?? { Action: [] })).toEqual(['appsync:GraphQL']);
    expect(JSON.stringify(graphql[0]?.Resource)).toMatch(/\/types\/Mutation\/fields\/publishReplyEvent"\]\]\}$/);
  });

  it('gives the functions item-level table access with no Scan and no index', () => {
    for (const service of ['chat', 'account']) {
      const [, fn] = lambdaOf(devTemplate, service);
      const table = statementsOf(devTemplate, fn).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));

      expect(table.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
      expect(table.map((s) => s.Resource)).toEqual(table.map(() => ({ 'Fn::GetAtt': [expect.stringMatching(/Table/), 'Arn'] })));
    }
  });

  it('lets the account function call only AdminUserGlobalSignOut on the user pool', () => {
    const [, account] = lambdaOf(devTemplate, 'account');
    const cognito = statementsOf(devTemplate, account).filter((s) => actionsOf(s).some((a) => a.startsWith('cognito-idp:')));

    expect(cognito).toEqual([expect.objectContaining({ Action: 'cognito-idp:AdminUserGlobalSignOut', Resource: { 'Fn::GetAtt': [expect.stringMatching(/UserPool/), 'Arn'] } })]);
    expect((account.Environment as { Variables: Record<string, unknown> }).Variables).toHaveProperty('USER_POOL_ID');
  });

  it('authenticates the API with Cognito by default and IAM in addition', () => {
    devTemplate.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
      EnvironmentVariables: { STAGE: 'dev', VERSION: Match.stringLikeRegexp('^\\d+\\.\\d+\\.\\d+'), MODEL_ID: 'claude-sonnet-4-6', MODELS: 'claude-sonnet-4-6', DAILY_TOKEN_QUOTA: Match.stringLikeRegexp('^\\d+$'), MAX_TOKENS: '4096', HISTORY_TOKEN_BUDGET: Match.stringLikeRegexp('^\\d+$') },
    });
  });

  it('logs API requests without verbose content, with X-Ray in prod only', () => {
    devTemplate.hasResourceProperties('AWS::AppSync::GraphQLApi', { LogConfig: Match.objectLike({ ExcludeVerboseContent: true }), XrayEnabled: false });
    prodTemplate.hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: true });
    devTemplate.resourceCountIs('Custom::LogRetention', 0);
  });

  it('keeps every log group for a limited time', () => {
    const groups = Object.values(devTemplate.findResources('AWS::Logs::LogGroup') as Resources);

    expect(groups).toHaveLength(5);
    for (const group of groups) expect(group.Properties.RetentionInDays).toEqual(expect.any(Number));
  });

  it('outputs what a client and an operator need', () => {
    const outputs = Object.keys(devTemplate.toJSON().Outputs as Record<string, unknown>);

    expect(outputs).toEqual(expect.arrayContaining(['GraphQLUrl', 'Region', 'UserPoolId', 'UserPoolClientId', 'TableName', 'AttachmentBucketName', 'AnthropicSecretArn', 'AlarmTopicArn']));
  });
});

describe('the attachments bucket', () => {
  const bucket = (template: Template): [string, Record<string, unknown>] => {
    const [entry] = Object.entries(template.findResources('AWS::S3::Bucket') as Resources);
    return [entry?.[0] ?? '', entry?.[1].Properties ?? {}];
  };
  const objectsArn = (bucketId: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/attachments/*']] });

  it('is the stack\'s one bucket: private, encrypted with S3-managed keys, owned by the bucket owner', () => {
    devTemplate.resourceCountIs('AWS::S3::Bucket', 1);
    devTemplate.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('refuses every request that is not over TLS', () => {
    const [bucketId] = bucket(devTemplate);

    devTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('lets a page of any origin POST an upload form, and nothing else, across origins', () => {
    const [, properties] = bucket(devTemplate);

    expect(properties.CorsConfiguration).toEqual({ CorsRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['POST'], AllowedHeaders: ['*'], ExposedHeaders: ['ETag'], MaxAge: 3000 }] });
  });

  it('expires every attachment object 30 days after its upload', () => {
    const [, properties] = bucket(devTemplate);

    expect(properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'ExpireAttachments', Prefix: 'attachments/', ExpirationInDays: 30, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }],
    });
  });

  it('is kept when a prod stack is deleted, and deleted with a dev one', () => {
    expect(Object.values(prodTemplate.findResources('AWS::S3::Bucket') as Record<string, { DeletionPolicy?: string }>)[0]?.DeletionPolicy).toBe('Retain');
    expect(Object.values(devTemplate.findResources('AWS::S3::Bucket') as Record<string, { DeletionPolicy?: string }>)[0]?.DeletionPolicy).toBe('Delete');
  });

  it('lets the attachments function put and read objects under attachments/ only, with no table access', () => {
    const [bucketId] = bucket(devTemplate);
    const [, fn] = lambdaOf(devTemplate, 'attachments');
    const statements = statementsOf(devTemplate, fn).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:') || a.startsWith('dynamodb:')));

    expect(statements).toEqual([expect.objectContaining({ Action: ['s3:PutObject', 's3:GetObject'], Resource: objectsArn(bucketId) })]);
    expect((fn.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({ ATTACHMENT_BUCKET: { Ref: bucketId } });
  });

  it('lets the chat function read objects under attachments/ and write none', () => {
    const [bucketId] = bucket(devTemplate);
    const [, chat] = lambdaOf(devTemplate, 'chat');
    const statements = statementsOf(devTemplate, chat).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));

    expect(statements).toEqual([expect.objectContaining({ Action: 's3:GetObject', Resource: objectsArn(bucketId) })]);
  });

  it('serves the attachments function to AppSync as a data source', () => {
    const [attachmentsId] = lambdaOf(devTemplate, 'attachments');

    devTemplate.hasResourceProperties('AWS::AppSync::DataSource', { Type: 'AWS_LAMBDA', LambdaConfig: { LambdaFunctionArn: { 'Fn::GetAtt': [attachmentsId, 'Arn'] } } });
  });
});
