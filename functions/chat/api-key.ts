// The Anthropic API key: from ANTHROPIC_API_KEY, or read from Secrets Manager and kept for KEY_MAX_AGE_MS, so a
// rotated key is in use within minutes without a read per invocation (the cache Powertools Parameters' getSecret keeps).
import type { ApiKeySource } from './config.ts';

/** How long a key read from Secrets Manager is used before it is read again. */
export const KEY_MAX_AGE_MS = 5 * 60 * 1000;

let cached: { key: Promise<string>; readAt: number } | undefined;

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

export function anthropicApiKey(apiKey: ApiKeySource, now: () => number = Date.now): Promise<string> {
  if (apiKey.source === 'env') return Promise.resolve(apiKey.value);
  if (cached === undefined || now() - cached.readAt >= KEY_MAX_AGE_MS) {
    const read = { readAt: now(), key: readSecret(apiKey.arn) };
    cached = read;
    read.key.catch(() => {
      // A failed read is not kept: the next invocation tries again.
      if (cached === read) cached = undefined;
    });
  }
  return cached.key;
}
