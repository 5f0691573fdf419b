// The template's Cognito user pools as one service: each pool with its app clients, signing keys kept under the state
// folder (so tokens stay valid across restarts), and its routes on the sandbox's server.
import type { ServiceInstance } from '../aws/service.ts';
import type { Logger } from '../log.ts';
import type { UserPoolModel } from '../template/model.ts';
import { UserPool, userPoolSettingsFromTemplate } from './pool.ts';

export interface UserPoolsOptions {
  pools: readonly UserPoolModel[];
  region: string;
  /** Where the pools' issuer URLs start: the sandbox's base URL. */
  issuerBase: string;
  keyFile: string;
  log: Logger;
}

export interface UserPoolsService extends ServiceInstance {
  /** By pool id. */
  pools: Map<string, UserPool>;
}

export function startUserPools(options: UserPoolsOptions): UserPoolsService {
  const pools = new Map<string, UserPool>();
  for (const pool of options.pools) {
    pools.set(pool.poolId, new UserPool({
      ...userPoolSettingsFromTemplate(pool.properties, pool.clients),
      poolId: pool.poolId,
      region: options.region,
      issuerBase: options.issuerBase,
      keyFile: options.keyFile,
      log: options.log,
    }));
  }
  return { pools, routes: [...pools.values()].map((pool) => pool.httpHandler()), stop: () => undefined };
}
