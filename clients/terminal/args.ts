// npm run chat's command line: where amplify_outputs.json is, or help.
import { parseArgs } from 'node:util';

export interface ChatArgs {
  outputsPath: string;
  help: boolean;
}

export class UsageError extends Error {
  readonly errorType = 'UsageError';
}

export const USAGE = `Usage: npm run chat -- [--outputs <amplify_outputs.json>]

A terminal chat against the sandbox (npm start) or a deployed stack.
  --outputs, -o  the Amplify outputs file to read (default: ./amplify_outputs.json)
  --help, -h     this text

Ctrl-C while a reply streams stops it; Ctrl-C at the prompt quits.`;

export function parseChatArgs(argv: readonly string[]): ChatArgs {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { outputs: { type: 'string', short: 'o', default: 'amplify_outputs.json' }, help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
      allowPositionals: false,
    });
    return { outputsPath: values.outputs, help: values.help };
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
}
