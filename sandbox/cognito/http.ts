// The pool on the sandbox's HTTP server, next to AppSync: the JSON API (POST with X-Amz-Target on any path, through
// the shared router, SigV4 checked for the IAM operations), the two well-known documents, and CORS for web pages.
// Anything else is left to the next route.
import type { ServerResponse } from 'node:http';
import { jsonProtocolRoute, type JsonResponse } from '../aws/json-protocol.ts';
import type { Route } from '../aws/http.ts';
import type { IamPrincipal } from '../aws/sigv4.ts';
import type { Logger } from '../log.ts';
import { authorizeIamCall } from './iam.ts';

export interface HttpServedPool {
  poolId: string;
  handle(target: string, body: unknown): Promise<JsonResponse>;
  jwks(): unknown;
  openidConfiguration(): unknown;
}

// The headers amazon-cognito-identity-js and Amplify v6 send; a preflight's own list is echoed when present.
const ALLOWED_HEADERS = 'content-type, x-amz-target, x-amz-user-agent, cache-control, amz-sdk-invocation-id, amz-sdk-request';
// Never let a page send a signature. AWS documents no CORS rules for cognito-idp, so this is the sandbox's own reading:
// its IAM keys are fixed and printed in its code, so a signature proves nothing about who sends it; the public and
// token-authorized operations browsers call need none.
const SIGNING_HEADERS = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256']);
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-errortype, x-amzn-requestid, x-amzn-errormessage, date',
};

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  res.writeHead(status, { ...CORS, ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** The headers a preflight asked for, less the SigV4 ones. */
function allowedHeaders(requested: string): string {
  if (requested.trim() === '') return ALLOWED_HEADERS;
  return requested.split(',').map((h) => h.trim()).filter((h) => h !== '' && !SIGNING_HEADERS.has(h)).join(', ');
}

/** Who may call the IAM-authenticated operations over HTTP, and where refusals are logged. */
export interface IamCheck {
  principals: readonly IamPrincipal[];
  log: Logger;
}

/** Without `iam`, no signature is checked: only a pool built by hand in a test has none. */
export function createHttpHandler(pool: HttpServedPool, iam?: IamCheck): Route {
  const wellKnown = `/${pool.poolId}/.well-known/`;
  const api = jsonProtocolRoute({
    targetPrefix: 'AWSCognitoIdentityProviderService.',
    headers: CORS,
    ...(iam === undefined ? {} : { authorize: (req, body) => authorizeIamCall(req, body, iam.principals, iam.log) }),
    call: (target, body) => pool.handle(target, body),
  });
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'OPTIONS') {
      const requested = String(req.headers['access-control-request-headers'] ?? '').toLowerCase();
      if (!requested.includes('x-amz-target') && !path.startsWith(wellKnown)) return false;
      send(res, 204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': allowedHeaders(requested),
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
