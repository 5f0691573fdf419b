// The chat function's entry point: Powertools logging, metrics and tracing around one reply (reply.ts).
// Clients live for the cold start (Powertools' documented cache); configuration is read per invocation.
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { s3LocationFromEnv } from '../attachments/s3-object.ts';
import { anthropicApiKey } from './api-key.ts';
import { s3AttachmentReader } from './attachments.ts';
import { readConfig, type ClaudeConfig } from './config.ts';
import { parseChatEvent } from './event.ts';
import { createAnthropicClient, createBedrockClient, type ClaudeClient } from './model.ts';
import { credentialsFromEnv } from '../shared/credentials.ts';
import { appSyncSender } from './publisher.ts';
import { conversationOf, writeReply, type ReplySummary } from './reply.ts';
import { createDocumentClient } from './table.ts';
import { toolRunnerFromCatalog } from './tools/catalog.ts';
import type { ToolRunner } from './tools/types.ts';

const serviceName = process.env['POWERTOOLS_SERVICE_NAME'] ?? 'chat';
const logger = new Logger({ serviceName });
const metrics = new Metrics({ serviceName, namespace: process.env['POWERTOOLS_METRICS_NAMESPACE'] ?? 'AppSyncClaudeChat' });
// Lambda sets the X-Ray daemon's address. Without one (the sandbox, tests) there is nothing to trace, and the Tracer is
// not even loaded: the X-Ray SDK it loads hooks every promise of the process as it loads (cls-hooked's async hook),
// which a reply's first token would pay for at each DynamoDB call.
const tracer: Tracer | undefined = process.env['AWS_XRAY_DAEMON_ADDRESS']
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
  : undefined;

/** Time kept back from the Lambda timeout for the final writes and publishes. */
const FINISH_MARGIN_MS = 10_000;

let db: DynamoDBDocumentClient | undefined;
/** The server tools of the bundle's catalog, their input schemas compiled once per cold start. */
let tools: ToolRunner | undefined;
/** The client of the cold start, kept while what it was made from (key, or region and credentials) is the same. */
let claude: { made: string; client: ClaudeClient } | undefined;

async function claudeClient(config: ClaudeConfig): Promise<ClaudeClient> {
  if (config.provider === 'bedrock') {
    const credentials = credentialsFromEnv();
    const made = JSON.stringify(['bedrock', config.region, config.baseUrl, credentials]);
    if (claude?.made !== made) claude = { made, client: await createBedrockClient(config, credentials) };
    return claude.client;
  }
  const key = await anthropicApiKey(config.apiKey);
  const made = JSON.stringify(['anthropic', key]);
  if (claude?.made !== made) claude = { made, client: createAnthropicClient(key) };
  return claude.client;
}

export async function handler(event: unknown, context?: Partial<Context>): Promise<ReplySummary> {
  const chatEvent = parseChatEvent(event);
  const log = logger.createChild({ persistentKeys: { conversationId: chatEvent.conversationId, replyId: chatEvent.replyId } });
  if (context?.awsRequestId) log.addContext(context as Context);
  metrics.captureColdStartMetric();
  try {
    const config = readConfig();
    db ??= createDocumentClient((client) => tracer?.captureAWSv3Client(client) ?? client);
    tools ??= toolRunnerFromCatalog();
    const remaining = context?.getRemainingTimeInMillis?.();
    const bucket = config.attachmentBucket;
    const conversation = conversationOf(event);
    const summary = await writeReply(conversation ? { ...chatEvent, conversation } : chatEvent, {
      config,
      db,
      claude: () => claudeClient(config.claude),
      send: appSyncSender({ url: config.graphqlUrl, region: config.region, credentials: credentialsFromEnv() }),
      log,
      ...(tools.definitions.length === 0 ? {} : { tools }),
      ...(bucket === undefined ? {} : {
        attachments: (event) => s3AttachmentReader(s3LocationFromEnv(process.env, credentialsFromEnv()), bucket, event.owner, event.conversationId),
      }),
      ...(remaining === undefined ? {} : { deadline: Date.now() + remaining - FINISH_MARGIN_MS }),
    });
    if (summary.outcome === 'finished') {
      metrics.addMetric('writesPerReply', MetricUnit.Count, summary.writes);
      metrics.addMetric('publishesPerReply', MetricUnit.Count, summary.publishes);
      metrics.addMetric('outputTokens', MetricUnit.Count, summary.usage.outputTokens);
      metrics.addMetric('retries', MetricUnit.Count, summary.retries);
      if (summary.toolRuns > 0) metrics.addMetric('toolRuns', MetricUnit.Count, summary.toolRuns);
      if (summary.timeToFirstTokenMs !== undefined) metrics.addMetric('timeToFirstTokenMs', MetricUnit.Milliseconds, summary.timeToFirstTokenMs);
    }
    // The bench reads writes and publishes per reply from this line.
    log.info('reply ended', { ...summary });
    return summary;
  } finally {
    metrics.publishStoredMetrics();
  }
}
