// `npm run example`: the React example app, bundled and served on http://127.0.0.1:5173/, against the API that
// amplify_outputs.json names: the sandbox (`npm start`, running in another terminal) or a stack `npm run deploy` made.
//   npm run example -- [--port N] [--outputs FILE]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ExampleError, startExampleServer } from './server.ts';

const USAGE = `Usage: npm run example -- [--port N] [--outputs FILE]

Serves the React example chat app (examples/react) against the API in amplify_outputs.json.
Start the sandbox first with \`npm start\` in another terminal, or deploy with \`npm run deploy\`.

Options:
  --port N        the port to serve on (default 5173; 0 picks a free one)
  --outputs FILE  Amplify's outputs (default amplify_outputs.json)`;

function options(argv: string[]): { port?: string; outputs?: string; help?: boolean } {
  try {
    return parseArgs({ args: argv, strict: true, options: { port: { type: 'string' }, outputs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (error) {
    throw new ExampleError('Usage', error instanceof Error ? error.message : String(error));
  }
}

async function main(argv: string[]): Promise<void> {
  const values = options(argv);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port ?? 5173);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ExampleError('Usage', `--port must be a number from 0 to 65535, not '${values.port ?? ''}'.`);
  const outputsPath = resolve(values.outputs ?? 'amplify_outputs.json');
  const server = await startExampleServer({ outputsPath, port });
  console.log(`The React example is at ${server.url}\n(API and sign-in from ${outputsPath}; Ctrl-C stops it.)`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ExampleError ? error.message : error);
  if (error instanceof ExampleError && error.errorType === 'Usage') console.error(`\n${USAGE}`);
  process.exit(error instanceof ExampleError && error.errorType === 'Usage' ? 2 : 1);
});
