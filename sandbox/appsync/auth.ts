// Request authentication as AppSync does it for each authorization mode ("Configuring
// authorization and authentication to secure your GraphQL APIs"): the mode comes from the headers,
// tokens are verified (never just decoded), SigV4 signatures recomputed.
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AUTH_TYPE_NAMES, cognitoIdentity, iamIdentity, type AuthMode } from './runtime/context.ts';
import type { ApiModel, AuthProvider } from '../template/load.ts';

/** A user pool as the API sees it: its issuer, keys and app clients. */
export interface UserPoolVerifier {
  poolId: string;
  issuer: string;
  jwks(): JSONWebKeySet;
  clientIds: readonly string[];
  /** Access tokens issued before a global sign-out are refused. */
  isRevoked?(claims: JWTPayload): boolean;
}

/** IAM principals the sandbox knows, by access key id. */
export interface IamPrincipal { accessKeyId: string; secretAccessKey: string; accountId: string; userArn: string; username: string }

export interface AuthConfig {
  api: Pick<ApiModel, 'auth' | 'apiKeys'>;
  userPools: readonly UserPoolVerifier[];
  iamPrincipals: readonly IamPrincipal[];
  now?: () => number;
}

export interface Caller {
  mode: AuthMode;
  authType: string;
  identity: Record<string, unknown> | null;
  groups: string[];
}

export type AuthResult = { ok: true; caller: Caller } | { ok: false; status: 401; errorType: string; message: string };

export interface SignedRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  sourceIp: string;
}

const refused = (message: string, errorType = 'UnauthorizedException'): AuthResult => ({ ok: false, status: 401, errorType, message });

/** A header by name, whatever its case (real-time clients send `Authorization`, Node lower-cases). */
function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  const key = Object.hasOwn(headers, wanted) ? wanted : Object.keys(headers).find((k) => k.toLowerCase() === wanted);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

function configured(config: AuthConfig, type: AuthProvider['type']): AuthProvider | undefined {
  return [config.api.auth.default, ...config.api.auth.additional].find((p) => p.type === type);
}

/** Authenticates one request (HTTP or a real-time connection's header JSON). */
export async function authenticate(request: SignedRequest, config: AuthConfig): Promise<AuthResult> {
  const authorization = header(request.headers, 'authorization');
  const apiKey = header(request.headers, 'x-api-key');
  const sourceIp = [request.sourceIp];
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    if (!configured(config, 'AWS_IAM')) return refused('You are not authorized to make this call.');
    return verifyIam(request, authorization, config);
  }
  if (authorization !== undefined && authorization !== '') {
    const provider = configured(config, 'AMAZON_COGNITO_USER_POOLS');
    if (!provider) return refused('Valid authorization header not provided.');
    return verifyUserPoolToken(authorization.replace(/^Bearer /, ''), provider, config, sourceIp);
  }
  if (apiKey !== undefined) {
    if (!configured(config, 'API_KEY')) return refused('You are not authorized to make this call.');
    const key = config.api.apiKeys.find((k) => k.id === apiKey);
    const nowSeconds = (config.now?.() ?? Date.now()) / 1000;
    if (!key) return refused('You are not authorized to make this call.');
    if (key.expires <= nowSeconds) return refused('API key has expired.');
    return { ok: true, caller: { mode: 'API_KEY', authType: AUTH_TYPE_NAMES.API_KEY, identity: null, groups: [] } };
  }
  return refused('Missing authorization header');
}

/**
 * The pool's key set as jose imports it, kept between requests: createLocalJWKSet imports each key once
 * and remembers it, so a new set per request imported the RSA key every time. A pool whose JWKS changes
 * (a key rotated) gets a new set. Every token is still verified against it.
 */
const keySets = new WeakMap<UserPoolVerifier, { jwks: string; getKey: JWTVerifyGetKey }>();

function keySetOf(pool: UserPoolVerifier): JWTVerifyGetKey {
  const jwks = pool.jwks();
  const text = JSON.stringify(jwks);
  const cached = keySets.get(pool);
  if (cached?.jwks === text) return cached.getKey;
  const getKey = createLocalJWKSet(jwks);
  keySets.set(pool, { jwks: text, getKey });
  return getKey;
}

const clientPatterns = new Map<string, RegExp>();

function clientPattern(appIdClientRegex: string): RegExp {
  let pattern = clientPatterns.get(appIdClientRegex);
  if (!pattern) clientPatterns.set(appIdClientRegex, (pattern = new RegExp(`^(?:${appIdClientRegex})$`)));
  return pattern;
}

async function verifyUserPoolToken(token: string, provider: AuthProvider, config: AuthConfig, sourceIp: string[]): Promise<AuthResult> {
  const pool = config.userPools.find((p) => p.poolId === provider.userPoolId);
  if (!pool) return refused('Valid authorization header not provided.');
  let claims: JWTPayload;
  try {
    const now = config.now?.();
    ({ payload: claims } = await jwtVerify(token, keySetOf(pool), {
      issuer: pool.issuer,
      algorithms: ['RS256'],
      ...(now === undefined ? {} : { currentDate: new Date(now) }),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) return refused('Token has expired.');
    return refused('Valid authorization header not provided.');
  }
  const tokenUse = claims.token_use;
  const clientId = tokenUse === 'access' ? claims.client_id : claims.aud;
  if ((tokenUse !== 'id' && tokenUse !== 'access') || typeof clientId !== 'string' || !pool.clientIds.includes(clientId)) {
    return refused('Valid authorization header not provided.');
  }
  if (provider.appIdClientRegex !== undefined && !clientPattern(provider.appIdClientRegex).test(clientId)) {
    return refused('Valid authorization header not provided.');
  }
  if (pool.isRevoked?.(claims)) return refused('Token has been revoked.');
  const identity = cognitoIdentity(claims, sourceIp, provider.defaultAction ?? 'ALLOW');
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  return { ok: true, caller: { mode: 'AMAZON_COGNITO_USER_POOLS', authType: AUTH_TYPE_NAMES.AMAZON_COGNITO_USER_POOLS, identity, groups } };
}

/** "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/appsync/aws4_request, SignedHeaders=a;b, Signature=hex" */
function parseAuthorization(value: string): { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[]; signature: string } | null {
  const match = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]+)/.exec(value);
  if (!match) return null;
  const [, accessKeyId = '', date = '', region = '', service = '', signed = '', signature = ''] = match;
  return { accessKeyId, date, region, service, signedHeaders: signed.split(';'), signature };
}

/** Signature Version 4, recomputed with the principal's secret over the headers the client signed. */
async function verifyIam(request: SignedRequest, authorization: string, config: AuthConfig): Promise<AuthResult> {
  const parsed = parseAuthorization(authorization);
  if (!parsed) return refused('Authorization header requires \'Credential\', \'Signature\' and \'SignedHeaders\' parameters.', 'IncompleteSignatureException');
  const principal = config.iamPrincipals.find((p) => p.accessKeyId === parsed.accessKeyId);
  if (!principal) return refused('The security token included in the request is invalid.', 'UnrecognizedClientException');
  const amzDate = header(request.headers, 'x-amz-date');
  const signingDate = amzDate ? parseAmzDate(amzDate) : null;
  const now = config.now?.() ?? Date.now();
  if (!signingDate || Math.abs(now - signingDate.getTime()) > 15 * 60 * 1000) {
    return refused('Signature expired or the request time is not within 15 minutes of the server time.', 'InvalidSignatureException');
  }
  // A signed x-amz-content-sha256 stands for the body in the signature: it must be the body's hash.
  const contentHash = header(request.headers, 'x-amz-content-sha256');
  if (contentHash !== undefined && contentHash !== createHash('sha256').update(request.body).digest('hex')) {
    return refused('The provided x-amz-content-sha256 header does not match what was computed.', 'InvalidSignatureException');
  }
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = header(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const sessionToken = header(request.headers, 'x-amz-security-token');
  const signer = new SignatureV4({
    credentials: { accessKeyId: principal.accessKeyId, secretAccessKey: principal.secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
    region: parsed.region,
    service: parsed.service,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: 'http:',
    hostname: headers.host?.split(':')[0] ?? '',
    path: request.path,
    query: request.query ?? {},
    headers,
    body: request.body,
  }, { signingDate, signableHeaders: new Set(parsed.signedHeaders) });
  const expected = parseAuthorization(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''));
  if (expected?.signature !== parsed.signature) {
    return refused('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.', 'InvalidSignatureException');
  }
  return { ok: true, caller: { mode: 'AWS_IAM', authType: AUTH_TYPE_NAMES.AWS_IAM, identity: iamIdentity(principal, [request.sourceIp]), groups: [] } };
}

function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}
