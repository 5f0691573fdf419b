// The Lambda functions: chat (streams Claude's reply, invoked asynchronously by sendMessage), account (global sign-out
// and clean-up) and attachments (signs upload policies, checks uploads). Bundled by the local esbuild, Node 22 on
// arm64, each with its own role.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations, type ILocalBundling } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { buildSync, type BuildOptions } from 'esbuild';
import type { ToolSpec } from '../functions/chat/tools/types.ts';
import { ATTACHMENT_KEY_PREFIX } from '../resolvers/keys.ts';
import { nagArn } from './api.ts';
import { ROOT, type StageConfig } from './config.ts';
import { toolEnvironment, toolsDefine } from './tools.ts';

/** The handler files (each exports `handler`); tests may point them elsewhere. */
export interface FunctionEntries { chat: string; account: string; attachments: string }
export const DEFAULT_ENTRIES: FunctionEntries = {
  chat: join(ROOT, 'functions/chat/handler.ts'),
  account: join(ROOT, 'functions/account/handler.ts'),
  attachments: join(ROOT, 'functions/attachments/handler.ts'),
};

// Table actions, item-level only (no Scan, no index): the chat function reads history and writes the turn;
// the account function finds and deletes a user's items.
const CHAT_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
const ACCOUNT_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:UpdateItem'];

export interface ChatFunctionsProps {
  config: StageConfig;
  table: dynamodb.ITable;
  api: appsync.GraphqlApi;
  userPool: cognito.IUserPool;
  /** The attachments bucket (infra/attachments.ts): the attachments function signs uploads to it, the chat function reads it. */
  bucket: s3.Bucket;
  entries: FunctionEntries;
  /** The validated tool catalog (infra/tools.ts, `validateTools`), bundled into the chat function. */
  tools: readonly ToolSpec[];
}

/** convert_units -> ConvertUnits, for construct ids. */
function pascal(name: string): string {
  return name.split(/[_-]/).map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

export class ChatFunctions extends Construct {
  readonly chat: NodejsFunction;
  readonly account: NodejsFunction;
  readonly attachments: NodejsFunction;
  readonly failedEvents: sqs.Queue;
  /** The Lambda tools' functions, by tool name. */
  readonly toolFunctions: ReadonlyMap<string, NodejsFunction>;
  /** Only with the anthropic provider: Bedrock is called with the function's role, no key. */
  readonly anthropicSecret: secretsmanager.Secret | undefined;

  constructor(scope: Construct, id: string, { config, table, api, userPool, bucket, entries, tools }: ChatFunctionsProps) {
    super(scope, id);
    const removalPolicy = config.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const bedrock = config.claudeProvider === 'bedrock';
    // The key is put in after the first deploy: `aws secretsmanager put-secret-value --secret-id <AnthropicSecretArn>`.
    this.anthropicSecret = bedrock ? undefined : new secretsmanager.Secret(this, 'AnthropicApiKey', {
      description: `Anthropic API key of the chat function (${config.stage}); set its value after deploying`,
      removalPolicy,
    });
    if (this.anthropicSecret) {
      Validations.of(this.anthropicSecret).acknowledge(
        { id: 'AwsSolutions-SMG4', reason: 'An Anthropic API key is issued in the Anthropic console; Secrets Manager cannot rotate it.' },
      );
    }

    // Async invocations that fail are kept here (no retries: a turn is claimed once; docs/architecture.md, "The chat turn").
    this.failedEvents = new sqs.Queue(this, 'ChatFailedEvents', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failedEvents).acknowledge(
      { id: 'AwsSolutions-SQS3', reason: 'This queue is itself the on-failure destination of the chat function; nothing consumes it, so it needs no dead-letter queue of its own.' },
    );

    const common = {
      STAGE: config.stage,
      TABLE_NAME: table.tableName,
      POWERTOOLS_METRICS_NAMESPACE: 'ChatApi',
    };
    // Each Lambda tool is a function of its own, with a role that may only write its logs: it gets the tool's input
    // and the user's sub, nothing else (functions/chat/tools/lambda.ts).
    this.toolFunctions = new Map(tools.flatMap((tool) => (tool.kind === 'lambda' ? [[tool.name, this.nodeFunction(`Tool${pascal(tool.name)}`, join(ROOT, tool.entry), config, {
      description: `The ${tool.name} tool of the chat function`,
      timeout: Duration.seconds(10),
      environment: { STAGE: config.stage, POWERTOOLS_SERVICE_NAME: tool.name },
    })] as const] : [])));
    const toolFunctionNames = new Map([...this.toolFunctions].map(([name, fn]) => [name, fn.functionName]));
    this.chat = this.nodeFunction('Chat', entries.chat, config, {
      description: 'Streams a Claude reply and publishes it through publishReplyEvent',
      timeout: Duration.seconds(300),
      retryAttempts: 0,
      onFailure: new SqsDestination(this.failedEvents),
      environment: {
        ...common,
        POWERTOOLS_SERVICE_NAME: 'chat',
        GRAPHQL_URL: api.graphqlUrl,
        ...(this.anthropicSecret ? { ANTHROPIC_SECRET_ARN: this.anthropicSecret.secretArn } : { CLAUDE_PROVIDER: 'bedrock' }),
        MODEL_ID: config.modelId,
        MAX_TOKENS: String(config.maxTokens),
        FLUSH_MS: String(config.flushMs),
        CHECKPOINT_MS: String(config.checkpointMs),
        LEASE_MS: String(config.leaseMs),
        HISTORY_TOKEN_BUDGET: String(config.historyTokenBudget),
        TOOL_MAX_ITERATIONS: String(config.toolMaxIterations),
        ATTACHMENT_BUCKET: bucket.bucketName,
        // What the tools need at run time (none so far; a Lambda tool's target function name will go here).
        ...toolEnvironment(tools, toolFunctionNames),
      },
      // The Bedrock SDK is loaded only when the provider is bedrock: the anthropic bundle leaves it out.
      externalModules: bedrock ? [] : ['@anthropic-ai/bedrock-sdk'],
      // The tool catalog goes into the code, not the environment: Lambda's variables hold 4 KB in all
      // ("Lambda quotas"); functions/chat/tools/catalog.ts reads it.
      define: toolsDefine(tools),
    });
    this.chat.addToRolePolicy(new iam.PolicyStatement({ actions: CHAT_TABLE_ACTIONS, resources: [table.tableArn] }));
    if (this.anthropicSecret) this.anthropicSecret.grantRead(this.chat);
    else this.grantBedrock(config.models);
    // The unqualified ARNs only (grantInvoke would add <arn>:*, every version and alias): the tools' $LATEST.
    const toolArns = [...this.toolFunctions.values()].map((fn) => fn.functionArn);
    if (toolArns.length > 0) this.chat.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: toolArns }));
    // Only the IAM-only mutation: arn:...:apis/<id>/types/Mutation/fields/publishReplyEvent.
    api.grantMutation(this.chat, 'publishReplyEvent');
    // The attachments of the messages it answers: read only, under the attachments prefix.
    const attachmentObjects = bucket.arnForObjects(`${ATTACHMENT_KEY_PREFIX}*`);
    this.chat.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [attachmentObjects] }));

    this.account = this.nodeFunction('Account', entries.account, config, {
      description: 'Signs a user out everywhere and removes their items',
      timeout: Duration.seconds(30),
      environment: { ...common, POWERTOOLS_SERVICE_NAME: 'account', USER_POOL_ID: userPool.userPoolId },
    });
    this.account.addToRolePolicy(new iam.PolicyStatement({ actions: ACCOUNT_TABLE_ACTIONS, resources: [table.tableArn] }));
    this.account.addToRolePolicy(new iam.PolicyStatement({ actions: ['cognito-idp:AdminUserGlobalSignOut'], resources: [userPool.userPoolArn] }));

    // Signs presigned POSTs (an upload can do no more than this role may: PutObject under the prefix) and HEADs the
    // uploads sendMessage sends (HeadObject needs s3:GetObject). No table, no other bucket.
    this.attachments = this.nodeFunction('Attachments', entries.attachments, config, {
      description: 'Signs attachment uploads and checks them before a message sends them',
      timeout: Duration.seconds(10),
      environment: { STAGE: config.stage, POWERTOOLS_SERVICE_NAME: 'attachments', ATTACHMENT_BUCKET: bucket.bucketName },
    });
    this.attachments.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [attachmentObjects] }));
    for (const fn of [this.chat, this.attachments]) {
      if (!fn.role) continue;
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArn(bucket)}/${ATTACHMENT_KEY_PREFIX}*]`,
        reason: 'Attachment objects are keyed attachments/<sub>/<conversationId>/<id> for every user; the function serves them all, and the resolvers give it the owner\'s sub from the caller\'s identity.',
      });
    }
  }

  /**
   * Streaming calls to the configured model only. An inference profile (`global.`, `us.` ...) routes each call to
   * the foundation model in a region of its choosing, so the role needs the profile and the model in any region.
   */
  private grantBedrock(modelIds: readonly string[]): void {
    const stack = Stack.of(this);
    const arn = (region: string, account: string, resource: string): string => `arn:${stack.partition}:bedrock:${region}:${account}:${resource}`;
    const resources = modelIds.flatMap((modelId) => {
      const model = /^(?:[a-z]+(?:-[a-z]+)?)\.(anthropic\..+)$/.exec(modelId)?.[1];
      if (modelId.startsWith('arn:')) return [modelId];
      if (!model) return [arn(stack.region, '', `foundation-model/${modelId}`)];
      if (this.chat.role) {
        Validations.of(this.chat.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${model}]`,
          reason: 'A cross-region inference profile serves an offered Claude model from any region of its geography: only the region of the foundation model ARN is a wildcard.',
        });
      }
      return [arn(stack.region, stack.account, `inference-profile/${modelId}`), arn('*', '', `foundation-model/${model}`)];
    });
    this.chat.addToRolePolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModelWithResponseStream'], resources }));
  }

  /** A bundled function with its own log group (retention) and a role that may write only there. */
  private nodeFunction(id: string, entry: string, config: StageConfig, props: {
    description: string;
    timeout: Duration;
    environment: Record<string, string>;
    retryAttempts?: number;
    onFailure?: SqsDestination;
    externalModules?: string[];
    /** esbuild's `define`: global names replaced by JSON literals in the bundle. */
    define?: Record<string, string>;
  }): NodejsFunction {
    const { externalModules = [], define = {}, ...functionProps } = props;
    if (!existsSync(entry)) {
      throw new Error(`${relative(ROOT, entry)} is missing: the ${id.toLowerCase()} function's handler (export 'handler') must exist before the stack can be synthesized`);
    }
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: config.logRetention,
      removalPolicy: config.prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${id} function (${config.stage})`,
    });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(this, `${id}Function`, {
      // The bundle's entry file (index.mjs) exports `handler`.
      handler: 'index.handler',
      code: lambda.Code.fromAsset(ROOT, {
        // As NodejsFunction's own bundling: the asset is the bundle, named by the hash of its content.
        assetHashType: AssetHashType.OUTPUT,
        bundling: { image: DockerImage.fromRegistry('dummy'), local: new LocalEsbuild(ROOT, esbuildOptions(entry, externalModules, define)) },
      }),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      ...functionProps,
    });
    Validations.of(fn).acknowledge(
      { id: 'AwsSolutions-L1', reason: 'Node.js 22 is the runtime this project deploys and tests (CONTRIBUTING.md, Facts we measured); move all functions together when the sandbox is checked on a newer one.' },
    );
    return fn;
  }
}

/**
 * A function's esbuild options: those NodejsFunction's bundling passes on its command line for an ESM bundle of
 * `entry` (format, target, minify, no source map, the externals, define, main fields, the banner), and code splitting,
 * which NodejsFunction's own step does not offer: what the handler imports only with `import()` (the Tracer and the
 * X-Ray SDK when tracing is on, the Secrets Manager client when the key is a secret, the Bedrock SDK) goes to chunk
 * files that Lambda reads only if that import runs, so a cold start neither reads nor compiles them (bench/README.md,
 * "Bundle: code splitting": 88-91 -> 70-73 ms of cold init for the chat function). The output directory is left to the bundling step:
 * `index.mjs` is the handler's file, `chunk-<hash>.mjs` the rest.
 */
export function esbuildOptions(entry: string, external: string[], define: Record<string, string>): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    sourcemap: false,
    // Everything is bundled, the AWS SDK too: the versions in package-lock.json are the ones tested in the sandbox.
    external,
    define,
    mainFields: ['module', 'main'],
    splitting: true,
    entryNames: 'index',
    chunkNames: 'chunk-[hash]',
    // .mjs: the asset has no package.json saying "type": "module".
    outExtension: { '.js': '.mjs' },
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // Warnings and errors; LocalEsbuild prints a one-line summary (esbuild's lists every chunk).
    logLevel: 'warning',
  };
}

/**
 * The local bundling of a function: esbuild's API in this process (as infra/resolvers.ts uses it) with
 * NodejsFunction's options, instead of NodejsFunction's own step, which with a package-lock.json spawns
 * `npx --no-install esbuild` for each function: npm's start-up was ~0.45 s of each bundle, about 2 s of a 3-3.5 s synth;
 * and the API can split (esbuildOptions). The fields are part of CDK's asset cache key (by JSON), which tells the
 * functions apart by them.
 */
export class LocalEsbuild implements ILocalBundling {
  constructor(readonly workingDir: string, readonly options: BuildOptions) {}

  tryBundle(outputDir: string): boolean {
    const started = performance.now();
    const { metafile } = buildSync({ ...this.options, absWorkingDir: this.workingDir, outdir: outputDir, metafile: true });
    const outputs = Object.values(metafile.outputs);
    const kb = outputs.reduce((sum, output) => sum + output.bytes, 0) / 1024;
    // Where CDK's "Bundling asset ..." line goes.
    const files = outputs.length === 1 ? 'index.mjs' : `index.mjs and ${outputs.length - 1} chunk${outputs.length === 2 ? '' : 's'}`;
    process.stderr.write(`  ${files}, ${kb.toFixed(1)} KB, in ${Math.round(performance.now() - started)} ms\n`);
    return true;
  }
}
