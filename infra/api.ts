// The AppSync GraphQL API: schema.graphql, Cognito user pools by default and IAM for the chat function,
// request logs to a log group this stack owns (with retention), X-Ray in prod only; and its data sources.
import { join } from 'node:path';
import { type CfnElement, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { RECENCY_INDEX } from '../resolvers/keys.ts';
import { ROOT, type StageConfig } from './config.ts';
import type { DataSourceName } from './resolver-list.ts';

/**
 * AppSync's per-request limits ("Configuring GraphQL run complexity, query depth, and introspection with AWS AppSync"),
 * above what the product's clients send: its own operations are at most 4 levels deep and GraphiQL's introspection
 * query 15; no client or test sends more than 2 resolvers in a request, so 10 leaves room and stops 1,000 aliases at 10.
 */
export const REQUEST_LIMITS = { queryDepthLimit: 15, resolverCountLimit: 10 } as const;

export interface ChatApiProps {
  config: StageConfig;
  userPool: cognito.IUserPool;
}

export class ChatApi extends Construct {
  readonly api: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, { config, userPool }: ChatApiProps) {
    super(scope, id);
    // Our own role instead of CDK's default (the AWSAppSyncPushToCloudWatchLogs managed policy): it may only
    // write to the log group below, which exists before AppSync's first log line.
    const logRole = new iam.Role(this, 'LogRole', {
      assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com'),
      description: 'AppSync request and field logs of the chat API',
    });
    this.api = new appsync.GraphqlApi(this, 'Api', {
      name: `chat-api-${config.stage}`,
      definition: appsync.Definition.fromFile(join(ROOT, 'schema.graphql')),
      authorizationConfig: {
        defaultAuthorization: { authorizationType: appsync.AuthorizationType.USER_POOL, userPoolConfig: { userPool } },
        additionalAuthorizationModes: [{ authorizationType: appsync.AuthorizationType.IAM }],
      },
      environmentVariables: {
        STAGE: config.stage,
        VERSION: config.version,
        MODEL_ID: config.modelId,
        MODELS: config.models.join(','),
        DAILY_TOKEN_QUOTA: String(config.dailyTokenQuota),
        // The quota reservation a turn makes (resolvers/quota.ts) is sized by what the chat function may spend.
        MAX_TOKENS: String(config.maxTokens),
        HISTORY_TOKEN_BUDGET: String(config.historyTokenBudget),
      },
      xrayEnabled: config.prod,
      // Prod turns introspection off: the product's clients are built against schema.graphql, and the schema need not be
      // served to anyone with a token; dev keeps it for the playground's GraphiQL docs.
      introspectionConfig: config.prod ? appsync.IntrospectionConfig.DISABLED : appsync.IntrospectionConfig.ENABLED,
      ...REQUEST_LIMITS,
    });
    // Set on the L1: the L2's logConfig adds a LogRetention custom resource (a Lambda) that would race the
    // log group below.
    (this.api.node.defaultChild as appsync.CfnGraphQLApi).logConfig = {
      cloudWatchLogsRoleArn: logRole.roleArn,
      fieldLogLevel: config.prod ? appsync.FieldLogLevel.ERROR : appsync.FieldLogLevel.ALL,
      excludeVerboseContent: true,
    };
    // AppSync writes to /aws/appsync/apis/<api id> ("Setting up and using logging in AWS AppSync").
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: config.logRetention,
      removalPolicy: config.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(logRole);

    Validations.of(this.api).acknowledge(
      { id: 'AwsSolutions-ASC3', reason: 'Request and field logs are on; verbose content is excluded on purpose: it would copy users\' chat messages and tokens into CloudWatch.' },
    );
  }
}

/** The `<LogicalId.Arn>` cdk-nag prints for a resource's ARN in a finding. */
export function nagArn(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnElement;
  return `<${String(Stack.of(cfn).resolve(Stack.of(cfn).getLogicalId(cfn)))}.Arn>`;
}

export interface DataSourceTargets { table: dynamodb.ITable; chat: lambda.IFunction; account: lambda.IFunction; attachments: lambda.IFunction }

/** The API's data sources, by the names resolver-list.ts uses. */
export function addDataSources(api: appsync.GraphqlApi, { table, chat, account, attachments }: DataSourceTargets): Record<DataSourceName, appsync.BaseDataSource> {
  const tableSource = api.addDynamoDbDataSource('ChatTable', table);
  Validations.of(tableSource).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(table)}/index/*]`,
    reason: `CDK's DynamoDB data source grants on the table and its indexes; listConversations queries the ${RECENCY_INDEX} index, the table's only one.`,
  });
  const lambdaSource = (name: string, fn: lambda.IFunction): appsync.LambdaDataSource => {
    const source = api.addLambdaDataSource(name, fn);
    Validations.of(source).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(fn)}:*]`,
      reason: 'CDK grants lambda:InvokeFunction on this one function and its versions (the :* qualifier); no other function.',
    });
    return source;
  };
  return {
    table: tableSource,
    chat: lambdaSource('ChatFunction', chat),
    account: lambdaSource('AccountFunction', account),
    attachments: lambdaSource('AttachmentsFunction', attachments),
    none: api.addNoneDataSource('None'),
  };
}
