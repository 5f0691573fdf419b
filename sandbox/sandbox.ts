// The sandbox: the synthesized template served on one machine. AppSync (HTTP and real-time, http and
// https), DynamoDB Local, the Lambda functions, the user pools and the Claude stand-in, wired together.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { AppSyncApi } from './appsync/api.ts';
import { authenticate, type IamPrincipal } from './appsync/auth.ts';
import { executeDynamoDbRequest } from './appsync/datasources/dynamodb.ts';
import { executeLambdaRequest, executeNoneRequest } from './appsync/datasources/lambda.ts';
import type { DataSourceExecutor } from './appsync/resolve.ts';
import { RealtimeHub } from './appsync/realtime/core.ts';
import { attachRealtime, REALTIME_PATH } from './appsync/realtime/server.ts';
import { createClaudeStandIn, type ClaudeStandIn } from './claude/stand-in.ts';
import { secretsManagerRoute } from './aws/secrets-manager.ts';
import { UserPool, userPoolSettingsFromTemplate } from './cognito/pool.ts';
import { dynamoDbClient, launchDynamoDbLocal, sandboxCredentials, type DynamoDbLocal } from './dynamodb/launch.ts';
import { createTables } from './dynamodb/tables.ts';
import { startTtlSweeper, type TtlSweeper } from './dynamodb/ttl-sweeper.ts';
import { LambdaService } from './lambda/runtime.ts';
import { listenDual } from './listener.ts';
import { consoleSink, createLogger, type Logger, type LogSink } from './log.ts';
import { playgroundRoute } from './playground/route.ts';
import { apiUserPool } from './start/outputs.ts';
import { loadTemplate, type SandboxTemplate } from './template/load.ts';
import { sandboxCertificate } from './tls.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface SandboxOptions {
  cdkOut: string;
  stackName: string;
  /** http and https share this port; 0 picks a free one (tests). */
  port?: number;
  host?: string;
  /** Keys, certificate and (with persist) DynamoDB data live here. Default `.sandbox`. */
  stateDir?: string;
  /** Keep DynamoDB data on disk under stateDir between runs. */
  persist?: boolean;
  logSink?: LogSink;
  /** The Claude stand-in's pacing; ignored when anthropicApiKey is set. */
  claude?: { tokensPerSecond?: number; firstTokenDelayMs?: number };
  /** With a key, functions call the real Anthropic API; without, the stand-in. */
  anthropicApiKey?: string;
  ttlSweepIntervalMs?: number;
  keepAliveMs?: number;
}

export interface SandboxUrls {
  base: string;
  graphql: string;
  realtime: string;
  graphqlHttps: string;
  realtimeWss: string;
  cognito: string;
  claude: string | null;
}

export interface Sandbox {
  urls: SandboxUrls;
  template: SandboxTemplate;
  api: AppSyncApi;
  realtime: RealtimeHub;
  dynamodb: { endpoint: string; client: DynamoDBClient };
  lambda: LambdaService;
  userPools: Map<string, UserPool>;
  claude: ClaudeStandIn | null;
  /** The IAM credentials the sandbox accepts (its functions sign with them). */
  iam: IamPrincipal;
  certificatePath: string;
  log: Logger;
  stop(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = createLogger('sandbox', options.logSink ?? consoleSink());
  const host = options.host ?? '127.0.0.1';
  const stateDir = options.stateDir ?? '.sandbox';
  const routes: Route[] = [];
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      for (const route of routes) if (await route(req, res)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Nothing here: ${req.method ?? ''} ${req.url ?? ''}\n`);
    })().catch((error: unknown) => {
      log.error(`${req.method ?? ''} ${req.url ?? ''} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: 'The sandbox failed on this request; see its log.' }] }));
    });
  };
  const certificate = await sandboxCertificate(join(stateDir, 'tls'));
  const http = createHttpServer(serve);
  const https = createHttpsServer({ cert: certificate.cert, key: certificate.key }, serve);
  const cleanups: (() => Promise<void> | void)[] = [];
  // Each part gets a bounded time to stop, so one stuck part cannot keep the others (and Java) running.
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), 10_000);
      });
      if ((await Promise.race([Promise.resolve(cleanup()).then(() => 'done' as const), late])) === 'late') {
        log.warn('a part of the sandbox took over 10 s to stop; going on without it');
      }
      clearTimeout(timer);
    }
  };
  try {
    const listener = await listenDual(http, https, options.port ?? 0, host);
    cleanups.push(() => listener.close());
    const { port } = listener;
    const base = `http://${host}:${port}`;
    const urls: SandboxUrls = {
      base,
      graphql: `${base}/graphql`,
      realtime: `ws://${host}:${port}${REALTIME_PATH}`,
      graphqlHttps: `https://localhost:${port}/graphql`,
      realtimeWss: `wss://localhost:${port}${REALTIME_PATH}`,
      cognito: base,
      claude: options.anthropicApiKey ? null : `${base}/claude`,
    };
    const template = loadTemplate({ cdkOut: options.cdkOut, stackName: options.stackName, graphqlUrl: urls.graphql, realtimeUrl: urls.realtime });

    const dynamo: DynamoDbLocal = await launchDynamoDbLocal({ inMemory: !options.persist, dbPath: join(stateDir, 'dynamodb'), log: log.child('dynamodb') });
    cleanups.push(() => dynamo.stop());
    const client = dynamoDbClient(dynamo.endpoint);
    const created = await createTables(client, template.tables.map((t) => ({ tableName: t.tableName, properties: t.properties })));
    const sweeper: TtlSweeper = startTtlSweeper({
      client,
      tables: created.flatMap((t) => (t.ttlAttribute ? [{ tableName: t.tableName, ttlAttribute: t.ttlAttribute, keyNames: t.keyNames }] : [])),
      intervalMs: options.ttlSweepIntervalMs ?? 10_000,
      log: log.child('dynamodb'),
    });
    cleanups.push(() => sweeper.stop());

    const userPools = new Map<string, UserPool>();
    for (const pool of template.userPools) {
      userPools.set(pool.poolId, new UserPool({
        ...userPoolSettingsFromTemplate(pool.properties, pool.clients),
        poolId: pool.poolId,
        region: template.region,
        issuerBase: base,
        keyFile: join(stateDir, 'cognito-keys.json'),
        log: log.child('cognito'),
      }));
    }
    for (const pool of userPools.values()) routes.push(pool.httpHandler());

    const iam: IamPrincipal = {
      accessKeyId: sandboxCredentials.credentials.accessKeyId,
      secretAccessKey: sandboxCredentials.credentials.secretAccessKey,
      accountId: template.accountId,
      userArn: `arn:aws:sts::${template.accountId}:assumed-role/sandbox-function-role/sandbox`,
      username: 'AROASANDBOX:sandbox',
    };

    // Functions read their secrets (the Anthropic key) as on AWS, from GetSecretValue.
    routes.push(secretsManagerRoute({ secrets: template.secrets, iamPrincipals: [iam], log: log.child('secrets') }));

    let claude: ClaudeStandIn | null = null;
    if (!options.anthropicApiKey) {
      // The functions' role may call its Bedrock routes, signed as on AWS.
      claude = createClaudeStandIn({ log: log.child('claude'), ...options.claude, iamPrincipals: [iam] });
      const handler = claude.httpHandler();
      routes.push((req, res) => (req.url?.startsWith('/claude/') ? handler(req, res) : Promise.resolve(false)));
      const standIn = claude;
      cleanups.push(() => standIn.close());
    }
    const lambda = new LambdaService({
      functions: template.functions.map((f) => ({ ...f, onFailure: (_event, error) => log.child('lambda').error(`${f.name}: event dropped after retries: ${error.errorType}: ${error.errorMessage}`) })),
      log: log.child('lambda'),
      accountId: template.accountId,
      sandboxEnvironment: {
        AWS_REGION: template.region,
        AWS_ACCESS_KEY_ID: iam.accessKeyId,
        AWS_SECRET_ACCESS_KEY: iam.secretAccessKey,
        AWS_SESSION_TOKEN: 'sandbox',
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: base,
        AWS_ENDPOINT_URL_LAMBDA: base,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: base,
        ...(claude
          // No key: the chat function reads the template's secret, whose sandbox value the stand-in accepts.
          ? { ANTHROPIC_BASE_URL: `${base}/claude`, ANTHROPIC_BEDROCK_BASE_URL: `${base}/claude/bedrock` }
          : { ANTHROPIC_API_KEY: options.anthropicApiKey ?? '' }),
      },
    });
    cleanups.push(() => lambda.stop());

    if (!template.api) throw new Error(`${options.stackName} has no AWS::AppSync::GraphQLApi`);
    const apiModel = template.api;
    const tableNames = new Set(template.tables.map((t) => t.tableName));
    const execute: DataSourceExecutor = async (source, request) => {
      switch (source.type) {
        case 'AMAZON_DYNAMODB':
          if (!source.tableName || !tableNames.has(source.tableName)) return { error: { type: 'DynamoDB:ResourceNotFoundException', message: `Table ${source.tableName ?? ''} is not in the template` } };
          return executeDynamoDbRequest(client, source.tableName, request);
        case 'AWS_LAMBDA':
          return executeLambdaRequest(lambda, source.functionName ?? '', request);
        case 'NONE':
          return executeNoneRequest(request);
        default:
          return { error: { type: 'UnsupportedDataSource', message: `${source.type} data sources are not served by the sandbox` } };
      }
    };
    let hub: RealtimeHub | null = null;
    const api = new AppSyncApi({
      api: apiModel,
      auth: { userPools: [...userPools.values()], iamPrincipals: [iam] },
      execute,
      log: log.child('appsync'),
      onMutation: (outcome) => hub?.publish(outcome),
    });
    const authConfig = { userPools: [...userPools.values()], iamPrincipals: [iam], api: apiModel };
    hub = new RealtimeHub({
      engine: api.engine,
      authenticate: (headers, path, body) => authenticate({ method: 'POST', path, headers, body, sourceIp: '127.0.0.1' }, authConfig),
      log: log.child('realtime'),
      ...(options.keepAliveMs === undefined ? {} : { keepAliveMs: options.keepAliveMs }),
    });
    const realtime = hub;
    routes.unshift((req, res) => api.handle(req, res));
    const pagePool = apiUserPool(template);
    routes.push(playgroundRoute({ graphqlUrl: urls.graphql, realtimeUrl: urls.realtime, cognitoEndpoint: urls.cognito, userPoolId: pagePool?.poolId ?? '', clientId: pagePool?.clients[0]?.clientId ?? '', region: template.region, log: log.child('playground') }));
    const wsHttp = attachRealtime(http, realtime);
    const wsHttps = attachRealtime(https, realtime);
    cleanups.push(() => {
      realtime.close();
      wsHttp.close();
      wsHttps.close();
    });
    return {
      urls, template, api, realtime, dynamodb: { endpoint: dynamo.endpoint, client }, lambda, userPools, claude, iam,
      certificatePath: certificate.certPath, log, stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
