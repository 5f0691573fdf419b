// The pool on a Node HTTP server, next to AppSync: POST with X-Amz-Target on any path, the two well-known
// documents, and CORS for the playground page. Anything else is left to the caller (false).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CognitoResponse } from './errors.ts';

export interface HttpServedPool {
  poolId: string;
  handle(target: string, body: unknown): Promise<CognitoResponse>;
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createHttpHandler(pool: HttpServedPool): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const wellKnown = `/${pool.poolId}/.well-known/`;
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const target = req.headers['x-amz-target'];
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
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith('AWSCognitoIdentityProviderService.')) return false;
    const text = await readBody(req);
    let body: unknown = null;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      // Malformed JSON reaches the pool as a non-object and is answered with SerializationException.
    }
    const response = await pool.handle(target, body);
    send(res, response.status, response.headers, response.body);
    return true;
  };
}
