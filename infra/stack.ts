// The chat API's one stack: user pool, table, attachments bucket, GraphQL API, functions, resolvers, alarms and (prod) WAF.
// Everything the sandbox serves comes from this template (docs/architecture.md, "The sandbox").
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { ChatAlarms } from './alarms.ts';
import { addDataSources, ChatApi } from './api.ts';
import { AttachmentBucket } from './attachments.ts';
import { ChatAuth } from './auth.ts';
import { stageConfig, type Stage } from './config.ts';
import { ChatFunctions, DEFAULT_ENTRIES, type FunctionEntries } from './functions.ts';
import { RESOLVERS, type ResolverSpec } from './resolver-list.ts';
import { ChatResolvers } from './resolvers.ts';
import { ChatTable } from './table.ts';
import { validateTools, type ToolConfig } from './tools.ts';
import { ChatWaf } from './waf.ts';

export interface ChatApiStackProps extends StackProps {
  stage: Stage;
  /** Where resolver bundles are written before they are staged (inside the cloud assembly folder). */
  resolverBuildDir: string;
  entries?: FunctionEntries;
  resolvers?: readonly ResolverSpec[];
  /** The chat function's tools, in place of the stage's (tests give bad ones to see the synth refuse them). */
  tools?: readonly ToolConfig[];
}

export class ChatApiStack extends Stack {
  constructor(scope: Construct, id: string, props: ChatApiStackProps) {
    super(scope, id, props);
    const config = stageConfig(props.stage, this.node);
    // Checked first: a bad tool declaration fails the synth before anything is built, saying what to fix.
    const tools = validateTools(props.tools ?? config.tools);
    const auth = new ChatAuth(this, 'Auth', config);
    const { table } = new ChatTable(this, 'Data', config);
    const { bucket } = new AttachmentBucket(this, 'Attachments', config);
    // CDK's ITable predates exactOptionalPropertyTypes: Table is an ITable at run time.
    const itable = table as unknown as dynamodb.ITable;
    const { api } = new ChatApi(this, 'GraphQL', { config, userPool: auth.userPool });
    // Resolvers name the table in batch and transaction requests; health reports the region.
    api.addEnvironmentVariable('TABLE_NAME', table.tableName);
    api.addEnvironmentVariable('REGION', this.region);
    // sendMessage refuses a client tool named as one of these (resolvers/client-tools.ts); an empty value is refused.
    const serverTools = tools.map((tool) => tool.name).join(',');
    // AppSync's environment variables hold at most 512 characters each.
    if (serverTools.length > 512) throw new Error(`The tools' names take ${serverTools.length} characters together; AppSync's SERVER_TOOLS variable holds 512. Declare fewer tools or shorter names.`);
    if (serverTools !== '') api.addEnvironmentVariable('SERVER_TOOLS', serverTools);
    const functions = new ChatFunctions(this, 'Functions', { config, table: itable, api, userPool: auth.userPool, bucket, entries: props.entries ?? DEFAULT_ENTRIES, tools });

    new ChatResolvers(this, 'Resolvers', {
      api,
      specs: props.resolvers ?? RESOLVERS,
      buildDir: props.resolverBuildDir,
      dataSources: addDataSources(api, { table: itable, chat: functions.chat, account: functions.account, attachments: functions.attachments }),
    });
    const alarms = new ChatAlarms(this, 'Alarms', { config, api, chat: functions.chat, account: functions.account, failedEvents: functions.failedEvents });
    if (config.prod) new ChatWaf(this, 'Waf', { config, api });

    const output = (name: string, value: string, description: string): CfnOutput => new CfnOutput(this, name, { value, description });
    output('GraphQLUrl', api.graphqlUrl, 'The GraphQL endpoint (real-time: the same host, appsync-realtime-api)');
    output('GraphQLApiId', api.apiId, 'The AppSync API id');
    output('Region', this.region, 'The stack\'s region');
    output('Stage', config.stage, 'dev or prod');
    output('UserPoolId', auth.userPool.userPoolId, 'The Cognito user pool');
    output('UserPoolClientId', auth.client.userPoolClientId, 'The app client (SRP, no secret)');
    output('TableName', table.tableName, 'The DynamoDB table');
    output('AttachmentBucketName', bucket.bucketName, 'Attachment uploads (createAttachmentUpload signs them)');
    output('ChatFunctionName', functions.chat.functionName, 'The chat function');
    output('AccountFunctionName', functions.account.functionName, 'The account function');
    if (functions.anthropicSecret) output('AnthropicSecretArn', functions.anthropicSecret.secretArn, 'Put the Anthropic API key here after the first deploy');
    output('ChatFailedEventsQueueUrl', functions.failedEvents.queueUrl, 'Async chat turns that failed');
    output('AlarmTopicArn', alarms.topic.topicArn, 'Subscribe to receive alarms');
  }
}
