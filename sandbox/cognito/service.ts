// The template's Cognito user pools as one service: each pool with its app clients, signing keys kept under the state
// folder (so tokens stay valid across restarts), with persist its users and sessions too, and its routes on the
// sandbox's server, where the IAM-authenticated operations take a signature from one of the sandbox's principals.
import { join } from 'node:path';
import type { ServiceInstance } from '../aws/service.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import type { UserPoolModel } from '../template/model.ts';
import { UserPool, userPoolSettingsFromTemplate } from './pool.ts';

export interface UserPoolsOptions {
  pools: readonly UserPoolModel[];
  region: string;
  /** Where the pools' issuer URLs start: the sandbox's base URL. */
  issuerBase: string;
  keyFile: string;
  /** Who may call Admin* and ListUsers over HTTP (the functions' role signs with these). */
  iamPrincipals: readonly IamPrincipal[];
  /** Keep each pool's users and sessions in `<stateDir>/<poolId>.json` between runs. */
  persist: boolean;
  stateDir: string;
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
      iamPrincipals: options.iamPrincipals,
      ...(options.persist ? { stateFile: join(options.stateDir, `${pool.poolId}.json`) } : {}),
      log: options.log,
    }));
  }
  return { pools, routes: [...pools.values()].map((pool) => pool.httpHandler()), stop: () => undefined };
}
