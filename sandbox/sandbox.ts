// The sandbox: the synthesized template served on one machine. Each service starts from its part of the template
// model (template/model.ts) and adds its routes to one front server (http and https on one port); this file only
// assembles them, in the order they depend on each other, and stops them in reverse.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startAdmin, type SandboxAdmin } from './admin/service.ts';
import { kitTable } from './admin/table.ts';
import { turnLookup } from './admin/turns.ts';
import type { AppSyncApi } from './appsync/api.ts';
import { dataSourceExecutor } from './appsync/datasources/dispatch.ts';
import type { RealtimeHub } from './appsync/realtime/core.ts';
import { REALTIME_PATH } from './appsync/realtime/server.ts';
import { startAppSync } from './appsync/service.ts';
import type { ServiceInstance } from './aws/service.ts';
import type { IamPrincipal } from './aws/sigv4.ts';
import type { ClaudeScript } from './claude-stand-in/script.ts';
import { startClaudeStandIn, type ClaudeStandIn } from './claude-stand-in/stand-in.ts';
import type { UserPool } from './cognito/pool.ts';
import { startUserPools } from './cognito/service.ts';
import { sandboxCredentials, stopLaunched, type DynamoDbLocal } from './dynamodb-local/launch.ts';
import { openDynamoDb } from './dynamodb-local/service.ts';
import { invokeRoute } from './lambda/invoke-route.ts';
import { LambdaService } from './lambda/runtime.ts';
import { consoleSink, createLogger, type Logger, type LogSink } from './log.ts';
import { s3StateDir, startS3, type S3Service } from './s3/service.ts';
import { startSecretsManager } from './secrets-manager/service.ts';
import { startFrontServer } from './server/server.ts';
import { loadTemplate } from './template/load.ts';
import { apiUserPool, type ApiModel, type SandboxTemplate } from './template/model.ts';
// The playground page is a client (clients/playground/), served by the sandbox as a convenience.
import { playgroundRoute } from '../clients/playground/route.ts';

export interface SandboxOptions {
  cdkOut: string;
  stackName: string;
  /** http and https share this port; 0 picks a free one (tests). */
  port?: number;
  host?: string;
  /** Keys, certificate and (with persist) DynamoDB data live here. Default `.sandbox`. */
  stateDir?: string;
  /**
   * Where the https certificate is kept, made there if missing; default `<stateDir>/tls`. Test runs start many
   * sandboxes, each with a fresh stateDir: one certificate made beforehand for all of them saves each start its
   * generator's load (~0.2 s of CPU).
   */
  tlsDir?: string;
  /** Keep DynamoDB data and the user pools' users on disk under stateDir between runs. */
  persist?: boolean;
  logSink?: LogSink;
  /** The Claude stand-in's pacing; ignored when anthropicApiKey is set. */
  claude?: { tokensPerSecond?: number; firstTokenDelayMs?: number };
  /** With a key, functions call the real Anthropic API; without, the stand-in. */
  anthropicApiKey?: string;
  ttlSweepIntervalMs?: number;
  keepAliveMs?: number;
  /**
   * A DynamoDB Local already running (its endpoint), to use instead of launching one: test runs start many sandboxes,
   * and one Java process for all of them saves each start about 2 s of CPU. The sandbox then signs as an access key id
   * of its own (DynamoDB Local keeps one set of tables per key) and deletes its tables when it stops. Not with persist.
   */
  dynamodb?: { endpoint: string };
  /**
   * A DynamoDB Local the caller has launched or is launching (launchDynamoDbLocal's promise, in memory, or with
   * persist under `<stateDir>/dynamodb`), to use instead of launching one here: `npm start` launches it before its
   * synth and module loading (sandbox/start.ts), so Java's start (1-2 s before it answers) runs alongside them. From
   * this call on the sandbox owns it: it stops it when it stops, or when this start fails, and a failed launch fails
   * the start with the launch's own error (JavaMissingError when Java is missing). Not with `dynamodb`.
   */
  dynamodbLocal?: Promise<DynamoDbLocal>;
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

/** S3's endpoint, path-style: `<s3>/<bucket>/<key>` (clients set forcePathStyle). */
export type SandboxUrlsWithS3 = SandboxUrls & { s3: string };

export interface Sandbox {
  urls: SandboxUrlsWithS3;
  template: SandboxTemplate;
  api: AppSyncApi;
  realtime: RealtimeHub;
  dynamodb: { endpoint: string; client: DynamoDBClient };
  lambda: LambdaService;
  userPools: Map<string, UserPool>;
  /** The template's buckets, served at urls.s3. */
  s3: S3Service;
  claude: ClaudeStandIn | null;
  /** Scripted Claude answers and the calls received (the stand-in's); every use throws when anthropicApiKey is set. */
  script: ClaudeScript;
  /** State for UI tests: a day's usage, tokens expired now, real-time sockets cut. */
  admin: SandboxAdmin;
  /** Made at each start: what `POST /_sandbox/admin/<action>` requires, from a loopback caller. Never logged. */
  adminSecret: string;
  /** The IAM credentials the sandbox accepts (its functions sign with them). */
  iam: IamPrincipal;
  certificatePath: string;
  log: Logger;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = createLogger('sandbox', options.logSink ?? consoleSink());
  const host = options.host ?? '127.0.0.1';
  const stateDir = options.stateDir ?? '.sandbox';
  const parts = new Parts(log);
  // Stopped last, after the DynamoDB service: from here on the handed-over DynamoDB Local is the sandbox's.
  const launched = options.dynamodbLocal ? parts.add(options.dynamodbLocal, stopLaunched) : undefined;
  // Awaited when the tables are created; a launch failing before then must not be an unhandled rejection meanwhile.
  launched?.catch(() => undefined);
  try {
    if (launched && options.dynamodb) throw new Error('dynamodbLocal and dynamodb both name a DynamoDB Local: give one');
    const server = parts.add(await startFrontServer({ port: options.port ?? 0, host, tlsDir: options.tlsDir ?? join(stateDir, 'tls'), log }), (started) => started.close());
    const urls = sandboxUrls(host, server.port, options.anthropicApiKey === undefined);
    const template = loadTemplate({ cdkOut: options.cdkOut, stackName: options.stackName, graphqlUrl: urls.graphql, realtimeUrl: urls.realtime });
    const api = requireApi(template, options.stackName);
    if (options.dynamodb && options.persist) throw new Error('persist keeps DynamoDB\'s data in a DynamoDB Local of the sandbox\'s own: leave out the dynamodb option to use it');
    // The access key id the functions and the sandbox sign with; another one per sandbox when DynamoDB Local is shared.
    const accessKeyId = options.dynamodb ? `sandbox${randomBytes(8).toString('hex')}` : sandboxCredentials.credentials.accessKeyId;
    // DynamoDB Local (Java still starting, in `npm start`) and then its tables (~0.4 s in a fresh one) set the pace:
    // the services that need nothing of it start meanwhile, those that need its endpoint once it answers, and the
    // start waits for the tables last. Its place among the parts (the stop order) is taken now.
    const opening = openDynamoDb({
      tables: template.tables, persist: options.persist ?? false, dbPath: join(stateDir, 'dynamodb'), ttlSweepIntervalMs: options.ttlSweepIntervalMs ?? 10_000, log: log.child('dynamodb'),
      ...(options.dynamodb ? { shared: { endpoint: options.dynamodb.endpoint, accessKeyId } } : {}), ...(launched ? { launched } : {}),
    });
    const dynamodbReady = parts.add(opening.then((opened) => opened.ready), stopLaunched);
    // Awaited once the other services are started; a failure before then must not be an unhandled rejection meanwhile.
    dynamodbReady.catch(() => undefined);
    const iam = sandboxPrincipal(template.accountId, accessKeyId);
    const cognito = parts.service(startUserPools({
      pools: template.userPools, region: template.region, issuerBase: urls.base, keyFile: join(stateDir, 'cognito-keys.json'), iamPrincipals: [iam],
      persist: options.persist ?? false, stateDir: join(stateDir, 'cognito'), log: log.child('cognito'),
    }));
    // Functions read their secrets (the Anthropic key) as on AWS, from GetSecretValue.
    const secrets = parts.service(startSecretsManager({ secrets: template.secrets, iamPrincipals: [iam], log: log.child('secrets') }));
    const s3 = parts.service(startS3({
      buckets: template.buckets, region: template.region, iamPrincipals: [iam], persist: options.persist ?? false, stateDir: s3StateDir(stateDir), log: log.child('s3'),
    }));
    // DynamoDB Local answers: its endpoint and client, the tables still being created.
    const dynamodb = await opening;
    // The product's table, which the test kit reads (whose turn a model call is) and writes (a day's usage).
    const table = kitTable(api, dynamodb.client);
    // The Claude stand-in under /claude/, unless a key sends functions to the real API; the functions' role may call
    // its Bedrock routes, signed as on AWS.
    const claude = options.anthropicApiKey === undefined
      ? parts.service(startClaudeStandIn({ log: log.child('claude'), ...options.claude, iamPrincipals: [iam], pathPrefix: '/claude/', ...(table ? { turns: turnLookup(table) } : {}) }))
      : null;
    const lambda = parts.service(new LambdaService({
      functions: template.functions,
      log: log.child('lambda'),
      accountId: template.accountId,
      sandboxEnvironment: functionsEnvironment(template.region, iam, dynamodb.endpoint, urls, options.anthropicApiKey),
    }));
    const appsync = parts.service(startAppSync({
      api, userPools: [...cognito.pools.values()], iamPrincipals: [iam], execute: dataSourceExecutor({ dynamodb, lambda }), log, ...(options.keepAliveMs === undefined ? {} : { keepAliveMs: options.keepAliveMs }),
    }));
    appsync.attach(server.http);
    appsync.attach(server.https);
    const adminSecret = randomBytes(24).toString('base64url');
    const admin = parts.service(startAdmin({ secret: adminSecret, script: claude?.script ?? null, table, userPools: [...cognito.pools.values()], realtime: appsync.realtime, log: log.child('admin') }));
    server.use([...admin.routes, ...appsync.routes, ...cognito.routes, ...secrets.routes, ...s3.routes, invokeRoute(lambda, [iam], log.child('lambda')), ...(claude?.routes ?? []), playground(template, urls, log)]);
    await dynamodbReady;
    return {
      urls, template, api: appsync.api, realtime: appsync.realtime, dynamodb: { endpoint: dynamodb.endpoint, client: dynamodb.client }, lambda,
      userPools: cognito.pools, s3, claude, script: admin.script, admin: admin.admin, adminSecret, iam, certificatePath: server.certificatePath, log, stop: () => parts.stop(),
    };
  } catch (error) {
    await parts.stop();
    throw error;
  }
}

/** What the sandbox has started, stopped in reverse order, each part given a bounded time. */
class Parts {
  private readonly stops: (() => Promise<void> | void)[] = [];

  constructor(private readonly log: Logger) {}

  add<T>(part: T, stop: (part: T) => Promise<void> | void): T {
    this.stops.push(() => stop(part));
    return part;
  }

  service<T extends ServiceInstance>(service: T): T {
    return this.add(service, (started) => started.stop());
  }

  // Each part gets a bounded time to stop, so one stuck part cannot keep the others (and Java) running.
  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), 10_000);
      });
      if ((await Promise.race([Promise.resolve(stop()).then(() => 'done' as const), late])) === 'late') {
        this.log.warn('a part of the sandbox took over 10 s to stop; going on without it');
      }
      clearTimeout(timer);
    }
  }
}

function sandboxUrls(host: string, port: number, standIn: boolean): SandboxUrlsWithS3 {
  const base = `http://${host}:${port}`;
  return {
    base,
    graphql: `${base}/graphql`,
    realtime: `ws://${host}:${port}${REALTIME_PATH}`,
    graphqlHttps: `https://localhost:${port}/graphql`,
    realtimeWss: `wss://localhost:${port}${REALTIME_PATH}`,
    cognito: base,
    s3: `${base}/s3`,
    claude: standIn ? `${base}/claude` : null,
  };
}

function requireApi(template: SandboxTemplate, stackName: string): ApiModel {
  if (!template.api) throw new Error(`${stackName} has no AWS::AppSync::GraphQLApi`);
  return template.api;
}

/** The role the functions run as: the sandbox's DynamoDB Local credentials, accepted by every SigV4 check. */
function sandboxPrincipal(accountId: string, accessKeyId: string): IamPrincipal {
  return {
    accessKeyId,
    secretAccessKey: sandboxCredentials.credentials.secretAccessKey,
    accountId,
    userArn: `arn:aws:sts::${accountId}:assumed-role/sandbox-function-role/sandbox`,
    username: 'AROASANDBOX:sandbox',
  };
}

/** Every function's AWS endpoints point at the sandbox; Claude is the stand-in unless a key is given. */
function functionsEnvironment(region: string, iam: IamPrincipal, dynamoDbEndpoint: string, urls: SandboxUrlsWithS3, anthropicApiKey: string | undefined): Record<string, string> {
  return {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: iam.accessKeyId,
    AWS_SECRET_ACCESS_KEY: iam.secretAccessKey,
    AWS_SESSION_TOKEN: 'sandbox',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: urls.base,
    AWS_ENDPOINT_URL_LAMBDA: urls.base,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.base,
    AWS_ENDPOINT_URL_S3: urls.s3,
    ...(anthropicApiKey === undefined
      // No key: the chat function reads the template's secret, whose sandbox value the stand-in accepts.
      ? { ANTHROPIC_BASE_URL: `${urls.base}/claude`, ANTHROPIC_BEDROCK_BASE_URL: `${urls.base}/claude/bedrock` }
      : { ANTHROPIC_API_KEY: anthropicApiKey }),
  };
}

function playground(template: SandboxTemplate, urls: SandboxUrls, log: Logger): ServiceInstance['routes'][number] {
  const pool = apiUserPool(template);
  return playgroundRoute({ graphqlUrl: urls.graphql, realtimeUrl: urls.realtime, cognitoEndpoint: urls.cognito, userPoolId: pool?.poolId ?? '', clientId: pool?.clients[0]?.clientId ?? '', region: template.region, log: log.child('playground') });
}
