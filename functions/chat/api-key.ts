// The Anthropic API key: from ANTHROPIC_API_KEY, or read once per cold start from Secrets Manager and cached.
import type { ApiKeySource } from './config.ts';

let cached: Promise<string> | undefined;

/** A secret holds the key as plain text, or as JSON with an `apiKey` or `ANTHROPIC_API_KEY` field. */
export function keyFromSecret(secret: string): string {
  const text = secret.trim();
  if (!text.startsWith('{')) return text;
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const key = parsed['apiKey'] ?? parsed['ANTHROPIC_API_KEY'];
  if (typeof key !== 'string' || key === '') throw new Error('the Anthropic secret has no apiKey field');
  return key;
}

async function readSecret(arn: string): Promise<string> {
  // Loaded only when a secret is configured: the client costs cold-start time otherwise.
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const answer = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (answer.SecretString === undefined) throw new Error('the Anthropic secret has no SecretString');
  return keyFromSecret(answer.SecretString);
}

export function anthropicApiKey(apiKey: ApiKeySource): Promise<string> {
  if (apiKey.source === 'env') return Promise.resolve(apiKey.value);
  cached ??= readSecret(apiKey.arn).catch((error: unknown) => {
    // A failed read is not cached: the next invocation tries again.
    cached = undefined;
    throw error;
  });
  return cached;
}
