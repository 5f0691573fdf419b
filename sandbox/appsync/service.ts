// The AppSync API of the template as one service: POST /graphql, and the real-time endpoint on the servers' upgrades,
// both authenticating with the API's modes against the sandbox's user pools and IAM principals.
import type { Server as HttpServer } from 'node:http';
import type { ServiceInstance } from '../aws/service.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import type { ApiModel } from '../template/model.ts';
import { AppSyncApi } from './api.ts';
import { authenticate, type UserPoolVerifier } from './auth.ts';
import type { DataSourceExecutor } from './datasources/dispatch.ts';
import { RealtimeHub } from './realtime/core.ts';
import { attachRealtime } from './realtime/server.ts';

export interface AppSyncOptions {
  api: ApiModel;
  userPools: readonly UserPoolVerifier[];
  iamPrincipals: readonly IamPrincipal[];
  execute: DataSourceExecutor;
  log: Logger;
  keepAliveMs?: number;
}

export interface AppSyncService extends ServiceInstance {
  api: AppSyncApi;
  realtime: RealtimeHub;
  /** Serves the real-time endpoint on `server`'s upgrades (http and https both carry it). */
  attach(server: HttpServer): void;
}

export function startAppSync(options: AppSyncOptions): AppSyncService {
  const auth = { userPools: options.userPools, iamPrincipals: options.iamPrincipals };
  let hub: RealtimeHub | null = null;
  const api = new AppSyncApi({ api: options.api, auth, execute: options.execute, log: options.log.child('appsync'), onMutation: (outcome) => hub?.publish(outcome) });
  const authConfig = { ...auth, api: options.api };
  const realtime = new RealtimeHub({
    engine: api.engine,
    // A connection's header JSON is signed for `<path>` with `body`; its source is the loopback the socket came in on.
    authenticate: (headers, path, body) => authenticate({ method: 'POST', path, headers, body, sourceIp: '127.0.0.1' }, authConfig),
    log: options.log.child('realtime'),
    ...(options.keepAliveMs === undefined ? {} : { keepAliveMs: options.keepAliveMs }),
  });
  hub = realtime;
  const attached: { close(): void }[] = [];
  return {
    api,
    realtime,
    routes: [(req, res) => api.handle(req, res)],
    attach: (server) => {
      attached.push(attachRealtime(server, realtime));
    },
    stop: () => {
      realtime.close();
      for (const socketServer of attached) socketServer.close();
    },
  };
}
