// The example's own little server: the app bundled by esbuild in memory (again on each page load, so an edit shows
// on reload), and amplify_outputs.json read from disk on every request, as the running sandbox or `npm run deploy`
// last wrote it. The page talks to the API and Cognito directly (both answer CORS); this server only serves files.
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BuildContext, BuildResult } from 'esbuild';

/** What the example reads of amplify_outputs.json (sandbox/start/outputs.ts writes it; so does infra/write-outputs.ts). */
export interface ExampleOutputs {
  auth?: { user_pool_id?: string; user_pool_client_id?: string };
  data?: { url?: string };
  custom?: { sandbox?: { cognito_endpoint?: string; playground_url?: string } };
}

export class ExampleError extends Error {
  override readonly name = 'ExampleError';
  constructor(readonly errorType: 'Usage' | 'OutputsMissing' | 'OutputsInvalid' | 'SandboxNotRunning' | 'PortInUse' | 'BundleFailed', message: string) {
    super(message);
  }
}

const START_HINT = 'Start the sandbox with `npm start` in another terminal (it writes the file), or deploy a stack with `npm run deploy`, then run `npm run example` again.';

/** The outputs file, checked: it exists, is JSON, and names a user pool and a GraphQL API. */
export function readOutputs(path: string): ExampleOutputs {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ExampleError('OutputsMissing', `There is no ${path}. ${START_HINT}`);
  }
  let outputs: ExampleOutputs;
  try {
    outputs = JSON.parse(text) as ExampleOutputs;
  } catch (error) {
    throw new ExampleError('OutputsInvalid', `${path} is not JSON (${error instanceof Error ? error.message : String(error)}). ${START_HINT}`);
  }
  if (!outputs.data?.url || !outputs.auth?.user_pool_id || !outputs.auth.user_pool_client_id) {
    throw new ExampleError('OutputsInvalid', `${path} has no GraphQL API or user pool (data.url, auth.user_pool_id, auth.user_pool_client_id). ${START_HINT}`);
  }
  return outputs;
}

/** For the sandbox's outputs: its GraphQL endpoint answers (any HTTP answer will do), or it is not running. */
export async function checkSandbox(outputs: ExampleOutputs, path: string): Promise<void> {
  const url = outputs.data?.url;
  if (!outputs.custom?.sandbox || !url) return;
  try {
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}', signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error));
    throw new ExampleError('SandboxNotRunning', `The sandbox that wrote ${path} is not answering at ${url} (${cause}). Start it with \`npm start\` in another terminal, then run \`npm run example\` again.`);
  }
}

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat: the React example</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body><div id="root"></div></body>
</html>
`;

export interface ExampleServerOptions {
  /** amplify_outputs.json: read at start (checked) and again for every page. */
  outputsPath: string;
  /** Default 5173; 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface ExampleServer {
  url: string;
  close(): Promise<void>;
}

type Bundle = BuildResult<{ write: false; outdir: string }>;

/** esbuild's incremental context for the app: build() bundles again, reusing what did not change. */
async function bundler(): Promise<{ context: BuildContext<{ write: false; outdir: string }>; build(): Promise<Bundle> }> {
  const { context: create } = await import('esbuild');
  const context = await create({
    entryPoints: [join(import.meta.dirname, 'main.ts')],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    sourcemap: 'inline',
    logLevel: 'silent',
    // React's development build (its warnings show in the console); Amplify's dependencies read Node's `global`.
    define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
  });
  return {
    context,
    build: async () => {
      try {
        return await context.rebuild();
      } catch (error) {
        const failures = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
        const detail = failures.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)).join('\n') || String(error);
        throw new ExampleError('BundleFailed', `The example failed to bundle:\n${detail}`);
      }
    },
  };
}

/** Checks the outputs (and the sandbox they name), takes the port, bundles the app, and serves it. */
export async function startExampleServer(options: ExampleServerOptions): Promise<ExampleServer> {
  await checkSandbox(readOutputs(options.outputsPath), options.outputsPath);
  const ready = bundler(); // a context only: nothing is bundled until build()
  let bundle: Promise<Bundle> | null = null;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://example').pathname;
    const answer = async (): Promise<void> => {
      if (path === '/' || path === '/index.html') {
        bundle = ready.then((b) => b.build()); // a reload picks up edits
        bundle.catch(() => undefined);
        send(res, 200, 'text/html', HTML);
      } else if (path === '/app.js' || path === '/app.css') {
        const built = await (bundle ?? Promise.reject(new Error('not bundled yet')));
        const ext = path.endsWith('.js') ? '.js' : '.css';
        send(res, 200, ext === '.js' ? 'text/javascript' : 'text/css', built.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '');
      } else if (path === '/amplify_outputs.json') send(res, 200, 'application/json', JSON.stringify(readOutputs(options.outputsPath)));
      else send(res, 404, 'text/plain', 'Not found');
    };
    answer().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(message);
      send(res, 500, 'text/plain', message);
    });
  });
  const host = options.host ?? '127.0.0.1';
  const stop = async (): Promise<void> => {
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    await (await ready.catch(() => null))?.context.dispose();
  };
  try {
    // The port first: a port in use is said at once, not after bundling.
    await listen(server, options.port ?? 5173, host);
    bundle = Promise.resolve(await (await ready).build());
  } catch (error) {
    await stop();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}/`, close: stop };
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(body);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new ExampleError('PortInUse', `Port ${port} is in use: stop what uses it, or run \`npm run example -- --port ${port + 1}\`.`) : error);
    });
    server.listen(port, host, () => resolve());
  });
}
