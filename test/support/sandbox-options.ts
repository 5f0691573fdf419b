// What every sandbox a test starts shares, from global-setup.ts: the run's DynamoDB Local, unless the test keeps data
// on disk (persist needs a DynamoDB Local of its own) or chooses otherwise; and the run's https certificate.
import type { SandboxOptions } from '../../sandbox/sandbox.ts';

export function sharedTestParts(options: Partial<SandboxOptions> = {}): Pick<SandboxOptions, 'dynamodb' | 'tlsDir'> {
  const { SANDBOX_TEST_DYNAMODB: endpoint, SANDBOX_TEST_TLS_DIR: tlsDir } = process.env;
  return {
    ...(endpoint && !options.persist && !('dynamodb' in options) ? { dynamodb: { endpoint } } : {}),
    ...(tlsDir && !('tlsDir' in options) ? { tlsDir } : {}),
  };
}
