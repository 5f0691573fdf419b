// What Amplify and Apollo expect of a browser, given to Node 20 for tests: a global WebSocket that trusts the
// sandbox's self-signed certificate (Node 20 has none), and Amplify's console logs kept to errors.
import { readFileSync } from 'node:fs';
import { ConsoleLogger } from 'aws-amplify/utils';
import WebSocket from 'ws';

export function installBrowserGlobals(certificatePath: string): void {
  const ca = readFileSync(certificatePath, 'utf8');
  (globalThis as { WebSocket?: unknown }).WebSocket = class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  };
  ConsoleLogger.LOG_LEVEL = 'ERROR';
}
