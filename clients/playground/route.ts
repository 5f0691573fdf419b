// Serves the playground page at `/` and `/playground`, with its bundle (built on first request, kept in memory)
// and the sandbox's endpoints injected as JSON. Everything else is left to the other routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bundlePlayground, type PlaygroundBundle } from './bundle.ts';
import type { PlaygroundConfig } from './config.ts';
import { playgroundHtml } from './page.ts';

/** Where the route logs: the sandbox's logger (sandbox/log.ts) or any other with these two methods. */
export interface RouteLog { info(message: string): void; error(message: string): void }

/** The page's configuration, its email optional (default the demo user of `npm start`), and where to log. */
export type PlaygroundRouteOptions = Omit<PlaygroundConfig, 'defaultEmail'> & Partial<Pick<PlaygroundConfig, 'defaultEmail'>> & { log: RouteLog };

export const PLAYGROUND_PATHS = { page: ['/', '/playground', '/playground/'], js: '/playground/app.js', css: '/playground/app.css' } as const;

export function playgroundRoute(options: PlaygroundRouteOptions): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const { log, defaultEmail, ...endpoints } = options;
  const config: PlaygroundConfig = { ...endpoints, defaultEmail: defaultEmail ?? 'demo@example.com' };
  const html = playgroundHtml(config);
  let bundle: Promise<PlaygroundBundle> | null = null;
  const built = (): Promise<PlaygroundBundle> => {
    bundle ??= bundlePlayground().then((b) => {
      log.info(`playground bundled in ${b.ms} ms (${Math.round(b.js.length / 1024)} KB js, ${Math.round(b.css.length / 1024)} KB css)`);
      return b;
    }, (error: unknown) => {
      bundle = null; // the next request tries again (an edit may have fixed it)
      throw error;
    });
    return bundle;
  };
  const send = (res: ServerResponse, type: string, body: string, head: boolean): void => {
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
    res.end(head ? undefined : body);
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    const head = req.method === 'HEAD';
    if ((PLAYGROUND_PATHS.page as readonly string[]).includes(path)) {
      send(res, 'text/html', html, head);
      void built().catch(() => undefined); // start bundling while the browser parses the page
      return true;
    }
    if (path !== PLAYGROUND_PATHS.js && path !== PLAYGROUND_PATHS.css) return false;
    let current: PlaygroundBundle;
    try {
      current = await built();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`playground bundle failed: ${message}`);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`The playground failed to bundle:\n${message}\n`);
      return true;
    }
    if (path === PLAYGROUND_PATHS.js) send(res, 'text/javascript', current.js, head);
    else send(res, 'text/css', current.css, head);
    return true;
  };
}
