// The template's Secrets Manager secrets, served for GetSecretValue (the AWS JSON 1.1 protocol: POST, X-Amz-Target
// `secretsmanager.GetSecretValue`, SigV4), so a function reads its secret in the sandbox as it does on AWS.
// Values: the secret's SecretString, or a random string where CloudFormation would generate one.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IamPrincipal } from '../appsync/auth.ts';
import { readBody } from '../appsync/http.ts';
import type { Logger } from '../log.ts';
import { checkAwsSignature } from './signature.ts';

export interface SecretModel {
  logicalId: string;
  arn: string;
  name: string;
  /** Its SecretString property, when the template sets one. */
  secretString?: string;
}

export interface SecretsManagerOptions {
  secrets: readonly SecretModel[];
  iamPrincipals: readonly IamPrincipal[];
  log: Logger;
}

const TARGET_PREFIX = 'secretsmanager.';
const JSON_11 = 'application/x-amz-json-1.1';

class SecretsError extends Error {
  constructor(readonly status: number, readonly errorType: string, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_11, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  res.end(text);
}

/** A generated value as GenerateSecretString's defaults make it: 32 printable characters. */
function generated(): string {
  return randomBytes(24).toString('base64').replace(/[+/=]/g, 'x').slice(0, 32);
}

export function secretsManagerRoute(options: SecretsManagerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const created = Math.floor(Date.now() / 1000);
  const secrets = options.secrets.map((secret) => ({ ...secret, value: secret.secretString ?? generated(), versionId: randomUUID() }));
  // A SecretId is the ARN, the name, or the ARN without its random suffix ("GetSecretValue": SecretId).
  const find = (id: unknown): (typeof secrets)[number] | undefined => (typeof id === 'string' && id !== ''
    ? secrets.find((s) => s.arn === id || s.name === id || s.arn.replace(/-[A-Za-z0-9]{6}$/, '') === id)
    : undefined);

  function getSecretValue(body: unknown): unknown {
    const secretId = (body as { SecretId?: unknown } | null)?.SecretId;
    if (typeof secretId !== 'string' || secretId === '') throw new SecretsError(400, 'InvalidParameterException', 'You must provide a SecretId.');
    const secret = find(secretId);
    if (!secret) throw new SecretsError(400, 'ResourceNotFoundException', 'Secrets Manager can\'t find the specified secret.');
    return { ARN: secret.arn, Name: secret.name, VersionId: secret.versionId, SecretString: secret.value, VersionStages: ['AWSCURRENT'], CreatedDate: created };
  }

  return async (req, res) => {
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith(TARGET_PREFIX)) return false;
    const operation = target.slice(TARGET_PREFIX.length);
    try {
      const text = await readBody(req, 1024 * 1024);
      const signed = await checkAwsSignature(req, text, options.iamPrincipals, 'secretsmanager');
      if (!signed.ok) throw new SecretsError(signed.errorType === 'MissingAuthenticationTokenException' ? 403 : 400, signed.errorType, signed.message);
      if (operation !== 'GetSecretValue') throw new SecretsError(400, 'UnknownOperationException', `the sandbox serves GetSecretValue only, not ${operation}`);
      let body: unknown;
      try {
        body = JSON.parse(text === '' ? '{}' : text);
      } catch {
        throw new SecretsError(400, 'SerializationException', 'The request body is not valid JSON.');
      }
      const answer = getSecretValue(body);
      send(res, 200, answer);
      // The value is never logged.
      options.log.info(`GetSecretValue ${String((body as { SecretId?: unknown }).SecretId)} 200`);
    } catch (error) {
      const failure = error instanceof SecretsError ? error : new SecretsError(500, 'InternalServiceError', 'An error occurred on the server side.');
      send(res, failure.status, { __type: failure.errorType, message: failure.message });
      options.log.warn(`${operation} ${failure.status} ${failure.errorType}: ${failure.message}`);
    }
    return true;
  };
}
