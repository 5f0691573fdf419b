// PutSecretValue ("PutSecretValue" in the AWS Secrets Manager API Reference): a new version of a secret's value,
// labelled AWSCURRENT, as a rotation writes it. Only SecretString is served (the sandbox's secrets are text).
import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../../aws/json-protocol.ts';
import { findSecret, type SecretStore } from './getSecretValue.ts';

export function putSecretValue(store: SecretStore, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { SecretId: secretId, SecretString: secretString } = input;
  if (typeof secretId !== 'string' || secretId === '') throw new AwsServiceError('InvalidParameterException', 'You must provide a SecretId.');
  if (typeof secretString !== 'string') throw new AwsServiceError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
  const secret = findSecret(store, secretId);
  if (!secret) throw new AwsServiceError('ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
  secret.value = secretString;
  secret.versionId = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
  // The value is never logged.
  store.log.info(`PutSecretValue ${secretId} 200`);
  return Promise.resolve({ ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'] });
}
