// `npm start`: synthesizes infra/ (dev), serves it with the sandbox, writes amplify_outputs.json, prints one banner,
// reloads resolvers/ and functions/ on edit, and stops everything on Ctrl-C. Flags: npm start -- --help.
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { parseStartArgs, USAGE, UsageError } from './start/args.ts';

// V8's compiled code of what this process loads (aws-cdk-lib above all), kept in the OS's temporary folder by content
// hash and Node version: a start after the first compiles less (bench/README.md, the boot note). This process only:
// the functions' workers get their own environment, so their cold starts stay cold.
enableCompileCache();

// The SDK's Node 22 notice is about this process, which a front-end developer cannot act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  const options = parseStartArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    // Java's start (about 1 s of CPU, 1-2 s before DynamoDB Local answers) runs alongside the synth and the loading of
    // the sandbox's modules: launched first thing, and handed to the sandbox, which owns it from then on (startSandbox).
    const [{ launchDynamoDbLocal }, { consoleSink, createLogger }] = await Promise.all([import('./dynamodb-local/java.ts'), import('./log.ts')]);
    let spawned = (): void => undefined;
    const javaSpawned = new Promise<void>((resolve) => {
      spawned = resolve;
    });
    const dynamodbLocal = launchDynamoDbLocal({
      inMemory: !options.persist, dbPath: join(options.stateDir, 'dynamodb'), log: createLogger('sandbox', consoleSink()).child('dynamodb'), onSpawn: () => spawned(),
    });
    // Its failure (Java missing) is reported where the sandbox awaits it, after the synth, as before.
    dynamodbLocal.catch(() => undefined);
    // The launch picks a free port (one turn of the event loop) before it spawns Java, and under Node 22 tsx loads the
    // modules below in one synchronous run that would hold the spawn back until they are all loaded.
    await Promise.race([javaSpawned, dynamodbLocal.then(() => undefined, () => undefined)]);
    // Loaded only now: --help and a mistyped flag answer at once instead of after the sandbox's imports.
    const { runStart } = await import('./start/run.ts');
    await runStart(options, dynamodbLocal);
  }
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`npm start: ${error.message}. See: npm start -- --help\n`);
    process.exit(2);
  }
  process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
