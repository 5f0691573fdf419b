// What differs between the dev and prod stages, and the tunables both pass to the API and the functions.
// Any value can be overridden with CDK context: `npx cdk deploy -c stage=prod -c modelId=claude-opus-4-1`;
// `-c claudeProvider=bedrock` calls Claude on Amazon Bedrock with the function's role instead of an API key.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_TOOLS, type ToolConfig } from './tools.ts';

export type Stage = 'dev' | 'prod';
export const STAGES: readonly Stage[] = ['dev', 'prod'];

export type ClaudeProvider = 'anthropic' | 'bedrock';

/** The repository root: schema.graphql, resolvers/, functions/ and package.json live here. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StageConfig {
  stage: Stage;
  prod: boolean;
  /** package.json's version, reported by Query.health. */
  version: string;
  /** Anthropic's API (key in Secrets Manager) or Amazon Bedrock (SigV4 with the function's role). */
  claudeProvider: ClaudeProvider;
  /** The default model of a new conversation. */
  modelId: string;
  /** The models a conversation may choose (`-c models=a,b`), the default first; nothing else is accepted or granted. */
  models: string[];
  dailyTokenQuota: number;
  maxTokens: number;
  flushMs: number;
  checkpointMs: number;
  leaseMs: number;
  historyTokenBudget: number;
  /** The bound on a reply's tool loop (functions/chat/reply.ts says what one iteration is), a whole number. */
  toolMaxIterations: number;
  /** The server tools the model may call: checked at synth (infra/tools.ts), carried in the chat function's bundle. */
  tools: readonly ToolConfig[];
  /** Requests per IP in any 5-minute window before the WAF rule blocks (prod only). */
  wafRateLimit: number;
  /** Days an attachment's object is kept after its upload (the bucket's lifecycle rule), a whole number. */
  attachmentRetentionDays: number;
  logRetention: RetentionDays;
  /** An address subscribed to the alarm topic, when given. */
  alarmEmail: string | undefined;
}

/** Bedrock's id is a global cross-region inference profile: on-demand calls to recent Claude models need one. */
const DEFAULT_MODEL_IDS: Record<ClaudeProvider, string> = { anthropic: 'claude-sonnet-4-6', bedrock: 'global.anthropic.claude-sonnet-4-6' };
const NUMBERS = {
  dailyTokenQuota: 200_000,
  maxTokens: 4096,
  flushMs: 100,
  checkpointMs: 2000,
  leaseMs: 30_000,
  historyTokenBudget: 100_000,
  toolMaxIterations: 5,
  wafRateLimit: 1000,
  attachmentRetentionDays: 30,
};

export function isStage(value: unknown): value is Stage {
  return typeof value === 'string' && (STAGES as readonly string[]).includes(value);
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

/** The stage's configuration, with context values (strings from `-c`, or typed from cdk.json) over the defaults. */
export function stageConfig(stage: Stage, node: Node): StageConfig {
  const number = (key: keyof typeof NUMBERS): number => {
    const raw: unknown = node.tryGetContext(key);
    if (raw === undefined) return NUMBERS[key];
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`context ${key}=${JSON.stringify(raw)}: expected a positive number`);
    return value;
  };
  const wholeNumber = (key: keyof typeof NUMBERS): number => {
    const value = number(key);
    if (!Number.isInteger(value)) throw new Error(`context ${key}=${JSON.stringify(node.tryGetContext(key))}: expected a whole number`);
    return value;
  };
  const text = (key: string, fallback: string): string => {
    const raw: unknown = node.tryGetContext(key);
    return typeof raw === 'string' && raw !== '' ? raw : fallback;
  };
  const email: unknown = node.tryGetContext('alarmEmail');
  const prod = stage === 'prod';
  const provider: unknown = node.tryGetContext('claudeProvider') ?? 'anthropic';
  if (provider !== 'anthropic' && provider !== 'bedrock') throw new Error(`context claudeProvider=${JSON.stringify(provider)}: expected 'anthropic' or 'bedrock'`);
  const models: unknown = node.tryGetContext('models') ?? [];
  const modelList = (Array.isArray(models) ? models.map(String) : String(models).split(',')).map((m) => m.trim()).filter(Boolean);
  const modelId = text('modelId', DEFAULT_MODEL_IDS[provider]);
  return {
    stage,
    prod,
    version: packageVersion(),
    claudeProvider: provider,
    modelId,
    models: [...new Set([modelId, ...modelList])],
    dailyTokenQuota: number('dailyTokenQuota'),
    maxTokens: number('maxTokens'),
    flushMs: number('flushMs'),
    checkpointMs: number('checkpointMs'),
    leaseMs: number('leaseMs'),
    historyTokenBudget: number('historyTokenBudget'),
    toolMaxIterations: wholeNumber('toolMaxIterations'),
    tools: DEFAULT_TOOLS,
    wafRateLimit: number('wafRateLimit'),
    attachmentRetentionDays: wholeNumber('attachmentRetentionDays'),
    logRetention: prod ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK,
    alarmEmail: typeof email === 'string' && email !== '' ? email : undefined,
  };
}
