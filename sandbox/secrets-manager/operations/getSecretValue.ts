// GetSecretValue ("GetSecretValue" in the AWS Secrets Manager API Reference): a secret by ARN, name or partial ARN.
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsServiceError } from '../../aws/json-protocol.ts';
import type { Logger } from '../../log.ts';
import type { SecretModel } from '../../template/model.ts';

export interface StoredSecret extends SecretModel { value: string; versionId: string }

/** The template's secrets with their values, as the operations read them. */
export interface SecretStore {
  secrets: readonly StoredSecret[];
  created: number;
  log: Logger;
}

/** A generated value as GenerateSecretString's defaults make it: 32 printable characters. */
function generated(): string {
  return randomBytes(24).toString('base64').replace(/[+/=]/g, 'x').slice(0, 32);
}

/** Values: the secret's SecretString, or a random string where CloudFormation would generate one. */
export function secretStore(secrets: readonly SecretModel[], log: Logger): SecretStore {
  return {
    secrets: secrets.map((secret) => ({ ...secret, value: secret.secretString ?? generated(), versionId: randomUUID() })),
    created: Math.floor(Date.now() / 1000),
    log,
  };
}

// A SecretId is the ARN, the name, or the ARN without its random suffix ("GetSecretValue": SecretId).
export function findSecret(store: SecretStore, id: string): StoredSecret | undefined {
  return store.secrets.find((s) => s.arn === id || s.name === id || s.arn.replace(/-[A-Za-z0-9]{6}$/, '') === id);
}

export function getSecretValue(store: SecretStore, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const secretId = input.SecretId;
  if (typeof secretId !== 'string' || secretId === '') throw new AwsServiceError('InvalidParameterException', 'You must provide a SecretId.');
  const secret = findSecret(store, secretId);
  if (!secret) throw new AwsServiceError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
  // The value is never logged.
  store.log.info(`GetSecretValue ${secretId} 200`);
  return Promise.resolve({ ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, SecretString: secret.value, VersionStages: ['AWSCURRENT'], CreatedDate: store.created });
}
