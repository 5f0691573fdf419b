// `npm start`: synthesizes infra/ (dev), serves it with the sandbox, writes amplify_outputs.json, prints one banner,
// reloads resolvers/ and functions/ on edit, and stops everything on Ctrl-C. Flags: npm start -- --help.
import { parseStartArgs, USAGE, UsageError } from './start/args.ts';

// The SDK's Node 22 notice is about this process, which a front-end developer cannot act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  const options = parseStartArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
  } else {
    // Loaded only now: --help and a mistyped flag answer at once instead of after the sandbox's imports.
    const { runStart } = await import('./start/run.ts');
    await runStart(options);
  }
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`npm start: ${error.message}. See: npm start -- --help\n`);
    process.exit(2);
  }
  process.stderr.write(`npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}
