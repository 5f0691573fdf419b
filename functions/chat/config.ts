// The chat function's typed configuration, read from the environment infra/ sets (one place, checked once).

export type ClaudeProvider = ClaudeConfig['provider'];

export interface ChatConfig {
  tableName: string;
  graphqlUrl: string;
  region: string;
  stage: string;
  modelId: string;
  maxTokens: number;
  /** Coalescing: later deltas are published at most this often... */
  flushMs: number;
  /** ...or as soon as a batch holds this many characters. */
  flushMaxChars: number;
  /** How often the text so far is written and the lease extended. */
  checkpointMs: number;
  /** How long a reply stays alive after its last checkpoint (`leaseUntil`). */
  leaseMs: number;
  historyTokenBudget: number;
  /** The most messages one history Query reads. */
  historyMaxMessages: number;
  /** The most rounds of tool calls in one reply; the model call after the last round may not call tools. */
  toolMaxIterations: number;
  /** Where Claude is called: Anthropic's API with a key, or Amazon Bedrock signed with the function's role. */
  claude: ClaudeConfig;
  /** The attachments bucket (ATTACHMENT_BUCKET); without one, a message's files are named in text but not sent. */
  attachmentBucket?: string;
}

/** An API key in the environment, or the ARN of a Secrets Manager secret holding it. */
export type ApiKeySource = { source: 'env'; value: string } | { source: 'secret'; arn: string };

export type ClaudeConfig =
  | { provider: 'anthropic'; apiKey: ApiKeySource }
  /** `baseUrl` only when ANTHROPIC_BEDROCK_BASE_URL is set (the sandbox's stand-in); otherwise the region's endpoint. */
  | { provider: 'bedrock'; region: string; baseUrl?: string };

export class ConfigError extends Error {
  readonly errorType = 'ConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError(`${name} is not set`);
  return value;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

function claudeOf(env: Env, region: string): ClaudeConfig {
  const value = env['CLAUDE_PROVIDER'] ?? 'anthropic';
  if (value === 'anthropic') return { provider: value, apiKey: apiKeyOf(env) };
  if (value === 'bedrock') {
    // The function's role signs the calls (SigV4): no key is read, so none is needed.
    const baseUrl = env['ANTHROPIC_BEDROCK_BASE_URL'];
    return { provider: value, region: env['BEDROCK_REGION'] || region, ...(baseUrl ? { baseUrl } : {}) };
  }
  throw new ConfigError(`CLAUDE_PROVIDER must be 'anthropic' or 'bedrock', got '${value}'`);
}

function apiKeyOf(env: Env): ApiKeySource {
  const key = env['ANTHROPIC_API_KEY'];
  if (key !== undefined && key !== '') return { source: 'env', value: key };
  const arn = env['ANTHROPIC_SECRET_ARN'];
  if (arn !== undefined && arn !== '') return { source: 'secret', arn };
  throw new ConfigError('set ANTHROPIC_API_KEY or ANTHROPIC_SECRET_ARN');
}

export function readConfig(env: Env = process.env): ChatConfig {
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  return {
    tableName: required(env, 'TABLE_NAME'),
    graphqlUrl: required(env, 'GRAPHQL_URL'),
    region,
    stage: env['STAGE'] ?? 'dev',
    modelId: env['MODEL_ID'] ?? 'claude-sonnet-4-6',
    maxTokens: positiveInt(env, 'MAX_TOKENS', 4096),
    flushMs: positiveInt(env, 'FLUSH_MS', 100),
    flushMaxChars: positiveInt(env, 'FLUSH_MAX_CHARS', 2000),
    checkpointMs: positiveInt(env, 'CHECKPOINT_MS', 2000),
    leaseMs: positiveInt(env, 'LEASE_MS', 30_000),
    historyTokenBudget: positiveInt(env, 'HISTORY_TOKEN_BUDGET', 50_000),
    historyMaxMessages: positiveInt(env, 'HISTORY_MAX_MESSAGES', 100),
    toolMaxIterations: positiveInt(env, 'TOOL_MAX_ITERATIONS', 5),
    claude: claudeOf(env, region),
    ...(env['ATTACHMENT_BUCKET'] ? { attachmentBucket: env['ATTACHMENT_BUCKET'] } : {}),
  };
}
