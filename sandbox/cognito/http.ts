// The pool on the sandbox's HTTP server, next to AppSync: the JSON API (POST with X-Amz-Target on any path, through
// the shared router), the two well-known documents, and CORS for web pages. Anything else is left to the next route.
import type { ServerResponse } from 'node:http';
import { jsonProtocolRoute, type JsonResponse } from '../aws/json-protocol.ts';
import type { Route } from '../aws/http.ts';

export interface HttpServedPool {
  poolId: string;
  handle(target: string, body: unknown): Promise<JsonResponse>;
  jwks(): unknown;
  openidConfiguration(): unknown;
}

// The headers amazon-cognito-identity-js and Amplify v6 send; a preflight's own list is echoed when present.
const ALLOWED_HEADERS = 'content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, amz-sdk-request, authorization, x-amz-date, x-amz-security-token';
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-errortype, x-amzn-requestid, x-amzn-errormessage, date',
};

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  res.writeHead(status, { ...CORS, ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

export function createHttpHandler(pool: HttpServedPool): Route {
  const wellKnown = `/${pool.poolId}/.well-known/`;
  const api = jsonProtocolRoute({ targetPrefix: 'AWSCognitoIdentityProviderService.', headers: CORS, call: (target, body) => pool.handle(target, body) });
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'OPTIONS') {
      const requested = String(req.headers['access-control-request-headers'] ?? '').toLowerCase();
      if (!requested.includes('x-amz-target') && !path.startsWith(wellKnown)) return false;
      send(res, 204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': requested === '' ? ALLOWED_HEADERS : requested,
        'access-control-max-age': '86400',
      }, undefined);
      return true;
    }
    if (req.method === 'GET' && path === `${wellKnown}jwks.json`) {
      send(res, 200, { 'content-type': 'application/json' }, pool.jwks());
      return true;
    }
    if (req.method === 'GET' && path === `${wellKnown}openid-configuration`) {
      send(res, 200, { 'content-type': 'application/json' }, pool.openidConfiguration());
      return true;
    }
    return api(req, res);
  };
}
