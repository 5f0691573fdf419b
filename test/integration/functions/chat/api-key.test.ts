// The chat function's Anthropic key read from Secrets Manager (the sandbox's, through the real SDK): kept for
// KEY_MAX_AGE_MS, then read again, so a rotated key is used without a new container.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { anthropicApiKey, KEY_MAX_AGE_MS } from '../../../../functions/chat/api-key.ts';
import { sandboxCredentials } from '../../../../sandbox/dynamodb-local/launch.ts';
import { createLogger, memorySink } from '../../../../sandbox/log.ts';
import { startSecretsManager } from '../../../../sandbox/secrets-manager/service.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AnthropicApiKey-AbCdEf';
const { accessKeyId, secretAccessKey } = sandboxCredentials.credentials;
const PRINCIPAL = { accessKeyId, secretAccessKey, accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/r/s', username: 'AROA:s' };
const saved = { ...process.env };
let server: http.Server;
let endpoint: string;

beforeAll(async () => {
  const [route] = startSecretsManager({
    secrets: [{ logicalId: 'AnthropicApiKey', arn: ARN, name: 'AnthropicApiKey', secretString: '{"apiKey":"sk-first"}' }],
    iamPrincipals: [PRINCIPAL],
    log: createLogger('secrets', memorySink()),
  }).routes;
  server = http.createServer((req, res) => {
    void route?.(req, res).then((handled) => { if (!handled) res.writeHead(404).end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The function's SecretsManagerClient({}) reads its endpoint, region and credentials from the environment, as on Lambda.
  Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey });
});

afterAll(async () => {
  process.env = saved;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the Anthropic key from Secrets Manager', () => {
  it('keeps the key it read until KEY_MAX_AGE_MS has passed, then uses the rotated one', async () => {
    // Arrange
    let clock = 1_000_000;
    const source = { source: 'secret', arn: ARN } as const;
    const first = await anthropicApiKey(source, () => clock);
    const admin = new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });

    // Act
    await admin.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: '{"apiKey":"sk-rotated"}' }));
    clock += KEY_MAX_AGE_MS - 1;
    const stillCached = await anthropicApiKey(source, () => clock);
    clock += 1;
    const reread = await anthropicApiKey(source, () => clock);

    // Assert
    expect(first).toBe('sk-first');
    expect(stillCached).toBe('sk-first');
    expect(reread).toBe('sk-rotated');
  });
});
