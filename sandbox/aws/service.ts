// The shape every service of the sandbox has: started from its part of the template model, it answers on routes of
// the one shared HTTP server and stops when the sandbox stops. sandbox/sandbox.ts assembles them.
import type { Route } from './http.ts';

export interface ServiceInstance {
  /** Tried in order by the sandbox's server; a service with no HTTP API has none. */
  readonly routes: readonly Route[];
  /** Releases what the service holds (processes, sockets, timers); resolves when it is released. */
  stop(): Promise<void> | void;
}
