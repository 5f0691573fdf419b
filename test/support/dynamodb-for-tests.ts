// One DynamoDB Local for a whole test run, started by global-setup.ts: each sandbox a test starts uses it under an
// access key id of its own (sandbox/sandbox.ts, the dynamodb option) instead of launching a Java process, which
// costs about 2 s of CPU a start. Prints the endpoint, then lives until its stdin closes (the run ended, or jest died).
import { launchDynamoDbLocal } from '../../sandbox/dynamodb-local/launch.ts';
import { consoleSink, createLogger } from '../../sandbox/log.ts';

const local = await launchDynamoDbLocal({ inMemory: true, log: createLogger('test-dynamodb', consoleSink('error')) });
process.stdout.write(`${local.endpoint}\n`);
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void local.stop().then(() => process.exit(0));
};
process.stdin.on('end', stop).on('close', stop).resume();
process.once('SIGTERM', stop);
