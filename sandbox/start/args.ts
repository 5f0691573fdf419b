// `npm start` flags: parsed strictly, so a typo is one clear line (exit 2) rather than a silently ignored option.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export interface StartOptions {
  port: number;
  persist: boolean;
  stateDir: string;
  outputs: string;
  cdkOut: string;
  help: boolean;
}

export class UsageError extends Error {
  readonly errorType = 'Usage';
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm start -- [options]

Synthesizes infra/ (dev stage) and serves it on this machine: AppSync (GraphQL, real-time), Cognito,
DynamoDB Local, the Lambda functions and a Claude stand-in. Edits to resolvers/ and functions/ reload live.

Options:
  --port N          http and https port (default 4000; 0 picks a free one)
  --persist         keep DynamoDB data and Cognito users under the state directory between runs
  --state-dir DIR   keys, certificate, synth record and data (default .sandbox)
  --outputs FILE    where to write Amplify's outputs (default amplify_outputs.json)
  --cdk-out DIR     the cloud assembly to synthesize into (default cdk.out)
  --help            this text

Set ANTHROPIC_API_KEY to use the real Claude API instead of the stand-in; LOG_LEVEL=debug for more logs.`;

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) throw new UsageError(`--port must be a number from 0 to 65535, not '${text}'`);
  return port;
}

/** Parses argv (without node and the script); throws UsageError on anything unknown or malformed. */
export function parseStartArgs(argv: string[], cwd = process.cwd()): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'port': { type: 'string' },
        'persist': { type: 'boolean' },
        'state-dir': { type: 'string' },
        'outputs': { type: 'string' },
        'cdk-out': { type: 'string' },
        'help': { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // Node's messages name the option; the hint after them is ours.
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error));
  }
  return {
    port: values.port === undefined ? 4000 : portOf(values.port),
    persist: values.persist ?? false,
    stateDir: resolve(cwd, values['state-dir'] ?? '.sandbox'),
    outputs: resolve(cwd, values.outputs ?? 'amplify_outputs.json'),
    cdkOut: resolve(cwd, values['cdk-out'] ?? 'cdk.out'),
    help: values.help ?? false,
  };
}
