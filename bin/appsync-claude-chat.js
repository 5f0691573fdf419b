#!/usr/bin/env node
// `npx appsync-claude-chat sandbox [flags]`: this package's sandbox, what `npm start` runs in its own repository,
// started from another folder (a front end's repository): amplify_outputs.json, .sandbox/ and cdk.out/ go in that
// folder. The flags are npm start's (`npx appsync-claude-chat sandbox --help`).
import { register } from 'tsx/esm/api';

const [command, ...args] = process.argv.slice(2);
if (command !== 'sandbox') {
  process.stderr.write(`appsync-claude-chat: ${command === undefined ? 'no command' : `unknown command '${command}'`}. Usage: npx appsync-claude-chat sandbox [--port N] [--persist] [--state-dir DIR] [--outputs FILE]\n`);
  process.exit(2);
}
register();
process.argv = [process.argv[0] ?? 'node', 'appsync-claude-chat sandbox', ...args];
await import('../sandbox/start.ts');
