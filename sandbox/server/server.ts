// The sandbox's one HTTP front: http and https on one port, each request offered to the services' routes in order,
// and a JSON 500 (with the stack in the log) when a route throws.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Route } from '../aws/http.ts';
import type { Logger } from '../log.ts';
import { listenDual } from './listener.ts';
import { sandboxCertificate } from './tls.ts';

/**
 * How long an idle connection stays open. Clients reuse a connection after long pauses (amazon-cognito-identity-js
 * computes an SRP step for seconds between two calls); Node's 5 s default closed it under them and the reuse failed
 * with ECONNRESET (Node 22's fetch does not retry it). AWS's endpoints keep idle connections open far longer.
 */
export const KEEP_ALIVE_MS = 65_000;

export interface FrontServer {
  port: number;
  http: HttpServer;
  https: HttpServer;
  certificatePath: string;
  /** Adds routes after those already there. */
  use(routes: readonly Route[]): void;
  close(): Promise<void>;
}

export async function startFrontServer(options: { port: number; host: string; tlsDir: string; log: Logger }): Promise<FrontServer> {
  const routes: Route[] = [];
  const { log } = options;
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      for (const route of routes) if (await route(req, res)) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Nothing here: ${req.method ?? ''} ${req.url ?? ''}\n`);
    })().catch((error: unknown) => {
      log.error(`${req.method ?? ''} ${req.url ?? ''} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: 'The sandbox failed on this request; see its log.' }] }));
    });
  };
  const certificate = await sandboxCertificate(options.tlsDir);
  const http = createHttpServer(serve);
  const https = createHttpsServer({ cert: certificate.cert, key: certificate.key }, serve);
  for (const server of [http, https]) {
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  }
  const listener = await listenDual(http, https, options.port, options.host);
  return {
    port: listener.port,
    http,
    https,
    certificatePath: certificate.certPath,
    use: (more) => {
      routes.push(...more);
    },
    close: () => listener.close(),
  };
}
