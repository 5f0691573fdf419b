// The template's Secrets Manager secrets, served for GetSecretValue over AWS's JSON 1.1 protocol (X-Amz-Target
// `secretsmanager.GetSecretValue`, SigV4), so a function reads its secret in the sandbox as it does on AWS; PutSecretValue
// rotates one (a test of a rotated key, or by hand).
import { AwsServiceError, dispatchJsonCall, jsonProtocolRoute, type JsonService } from '../aws/json-protocol.ts';
import type { ServiceInstance } from '../aws/service.ts';
import { signedRequestOf, verifySigV4, type IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import type { SecretModel } from '../template/model.ts';
import { getSecretValue, secretStore, type SecretStore } from './operations/getSecretValue.ts';
import { putSecretValue } from './operations/putSecretValue.ts';

export interface SecretsManagerOptions {
  secrets: readonly SecretModel[];
  iamPrincipals: readonly IamPrincipal[];
  log: Logger;
}

const TARGET_PREFIX = 'secretsmanager.';

export function startSecretsManager(options: SecretsManagerOptions): ServiceInstance {
  const store = secretStore(options.secrets, options.log);
  const service: JsonService<SecretStore> = {
    targetPrefix: TARGET_PREFIX,
    operations: { GetSecretValue: getSecretValue, PutSecretValue: putSecretValue },
    internalError: () => new AwsServiceError('InternalServiceError', 'An error occurred on the server side.', 500),
    unknownOperation: (target) => `the sandbox serves GetSecretValue and PutSecretValue only, not ${target.slice(TARGET_PREFIX.length)}`,
    log: options.log,
    refusalLevel: 'warn',
  };
  const route = jsonProtocolRoute({
    targetPrefix: TARGET_PREFIX,
    maxBodyBytes: 1024 * 1024,
    // The signature is checked before anything else, as AWS does; its status is the sandbox's reading.
    authorize: async (req, body) => {
      const signed = await verifySigV4(signedRequestOf(req, body), options.iamPrincipals, { service: 'secretsmanager' });
      if (!signed.ok) {
        options.log.warn(`${String(req.headers['x-amz-target'])} refused: ${signed.errorType}`);
        throw new AwsServiceError(signed.errorType, signed.message, signed.errorType === 'MissingAuthenticationTokenException' ? 403 : 400);
      }
    },
    call: (target, body) => dispatchJsonCall(service, store, target, body),
  });
  return { routes: [route], stop: () => undefined };
}
