// What every sandbox a test starts shares: the run's DynamoDB Local (global-setup.ts), unless the test keeps data on
// disk (persist needs a DynamoDB Local of its own) or chooses otherwise.
import type { SandboxOptions } from '../../sandbox/sandbox.ts';

export function sharedDynamoDb(options: Partial<SandboxOptions> = {}): Pick<SandboxOptions, 'dynamodb'> {
  const endpoint = process.env.SANDBOX_TEST_DYNAMODB;
  if (!endpoint || options.persist || 'dynamodb' in options) return {};
  return { dynamodb: { endpoint } };
}
