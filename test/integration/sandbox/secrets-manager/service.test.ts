// The sandbox's Secrets Manager, called by the real @aws-sdk/client-secrets-manager: GetSecretValue by ARN, name or
// partial ARN, SigV4 checked, and AWS's error types. Error statuses for a bad signature are the sandbox's reading.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand, ListSecretsCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManager } from '../../../../sandbox/secrets-manager/service.ts';
import { createLogger, memorySink } from '../../../../sandbox/log.ts';
import { failureOf } from '../../../support/failure.ts';

const PRINCIPAL = { accessKeyId: 'AKIASANDBOXSECRETS', secretAccessKey: 'secret-of-the-sandbox', accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/r/s', username: 'AROA:s' };
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AnthropicApiKey';
const sink = memorySink();
let server: http.Server;
let endpoint: string;

function client(credentials: { accessKeyId: string; secretAccessKey: string } = PRINCIPAL): SecretsManagerClient {
  return new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
}

beforeAll(async () => {
  const [route] = startSecretsManager({
    secrets: [
      { logicalId: 'AnthropicApiKey', arn: ARN, name: 'AnthropicApiKey' },
      { logicalId: 'Given', arn: `${ARN}Given-AbCdEf`, name: 'prod/given', secretString: '{"apiKey":"sk-given"}' },
    ],
    iamPrincipals: [PRINCIPAL],
    log: createLogger('secrets', sink),
  }).routes;
  server = http.createServer((req, res) => {
    void route?.(req, res).then((handled) => { if (!handled) res.writeHead(404).end(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('GetSecretValue in the sandbox', () => {
  it('answers a template secret with no SecretString with a generated value that stays the same', async () => {
    // Act
    const first = await client().send(new GetSecretValueCommand({ SecretId: ARN }));
    const again = await client().send(new GetSecretValueCommand({ SecretId: 'AnthropicApiKey' }));

    // Assert
    expect(first).toMatchObject({ ARN, Name: 'AnthropicApiKey', VersionStages: ['AWSCURRENT'] });
    expect(first.SecretString).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(again.SecretString).toBe(first.SecretString);
    expect(first.CreatedDate).toBeInstanceOf(Date);
  });

  it('finds a secret by its ARN without the random suffix, and answers its SecretString', async () => {
    const answer = await client().send(new GetSecretValueCommand({ SecretId: `${ARN}Given` }));

    expect(answer.SecretString).toBe('{"apiKey":"sk-given"}');
  });

  it('never logs a value', () => {
    expect(sink.records.some((record) => record.message.includes('sk-given'))).toBe(false);
    expect(sink.records.some((record) => record.message.includes(`GetSecretValue ${ARN} 200`))).toBe(true);
  });

  it('refuses an unknown secret with ResourceNotFoundException', async () => {
    const error = await failureOf(client().send(new GetSecretValueCommand({ SecretId: 'nothing-here' })));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('Secrets Manager can\'t find the specified secret.');
  });

  it('refuses a call signed with a key it does not know, or a wrong secret (sandbox\'s reading of the statuses)', async () => {
    const unknown = await failureOf(client({ accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' }).send(new GetSecretValueCommand({ SecretId: ARN })));
    const wrong = await failureOf(client({ accessKeyId: PRINCIPAL.accessKeyId, secretAccessKey: 'not-it' }).send(new GetSecretValueCommand({ SecretId: ARN })));

    expect((unknown as SecretsManagerServiceException).name).toBe('UnrecognizedClientException');
    expect((wrong as SecretsManagerServiceException).name).toBe('InvalidSignatureException');
  });

  it('says which operations it serves when asked for another', async () => {
    const error = await failureOf(client().send(new ListSecretsCommand({})));

    expect((error as SecretsManagerServiceException).name).toBe('UnknownOperationException');
    expect((error as Error).message).toContain('GetSecretValue and PutSecretValue only');
  });

  it('serves a value put by PutSecretValue as the current version, as a rotation leaves it', async () => {
    // Arrange
    const before = await client().send(new GetSecretValueCommand({ SecretId: 'prod/given' }));

    // Act
    const put = await client().send(new PutSecretValueCommand({ SecretId: 'prod/given', SecretString: '{"apiKey":"sk-rotated"}' }));
    const after = await client().send(new GetSecretValueCommand({ SecretId: 'prod/given' }));

    // Assert
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect(after.SecretString).toBe('{"apiKey":"sk-rotated"}');
    expect(after.VersionId).toBe(put.VersionId);
    expect(after.VersionId).not.toBe(before.VersionId);
    expect(sink.records.some((record) => record.message.includes('sk-rotated'))).toBe(false);
  });
});
