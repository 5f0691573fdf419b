// Request authentication as AppSync does it for each authorization mode ("Configuring
// authorization and authentication to secure your GraphQL APIs"): the mode comes from the headers,
// tokens are verified (never just decoded), SigV4 signatures recomputed.
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { headerOf } from '../aws/http.ts';
import { secretsEqual } from '../aws/secrets-equal.ts';
import { verifySigV4, type IamPrincipal, type SignedRequest } from '../aws/sigv4.ts';
import { AUTH_TYPE_NAMES, cognitoIdentity, iamIdentity, type AuthMode } from './runtime/context.ts';
import type { ApiModel, AuthProvider } from '../template/model.ts';

/** A user pool as the API sees it: its issuer, keys and app clients. */
export interface UserPoolVerifier {
  poolId: string;
  issuer: string;
  jwks(): JSONWebKeySet;
  clientIds: readonly string[];
  /** Access tokens issued before a global sign-out are refused. */
  isRevoked?(claims: JWTPayload): boolean;
  /** Tokens the pool expired early (a test's expireTokens) are refused as expired ones are. */
  isExpired?(claims: JWTPayload): boolean;
}

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

const refused = (message: string, errorType = 'UnauthorizedException'): AuthResult => ({ ok: false, status: 401, errorType, message });

function configured(config: AuthConfig, type: AuthProvider['type']): AuthProvider | undefined {
  return [config.api.auth.default, ...config.api.auth.additional].find((p) => p.type === type);
}

/** Authenticates one request (HTTP or a real-time connection's header JSON). */
export async function authenticate(request: SignedRequest, config: AuthConfig): Promise<AuthResult> {
  const authorization = headerOf(request.headers, 'authorization');
  const apiKey = headerOf(request.headers, 'x-api-key');
  const sourceIp = [request.sourceIp];
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    if (!configured(config, 'AWS_IAM')) return refused('You are not authorized to make this call.');
    return verifyIam(request, config);
  }
  if (authorization !== undefined && authorization !== '') {
    const provider = configured(config, 'AMAZON_COGNITO_USER_POOLS');
    if (!provider) return refused('Valid authorization header not provided.');
    return verifyUserPoolToken(authorization.replace(/^Bearer /, ''), provider, config, sourceIp);
  }
  if (apiKey !== undefined) {
    if (!configured(config, 'API_KEY')) return refused('You are not authorized to make this call.');
    const key = config.api.apiKeys.find((k) => secretsEqual(k.id, apiKey));
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
      // Cognito always sets exp ("Understanding user pool JSON web tokens"): a token without one never expires, so it is refused.
      requiredClaims: ['exp'],
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
  if (pool.isExpired?.(claims)) return refused('Token has expired.');
  const identity = cognitoIdentity(claims, sourceIp, provider.defaultAction ?? 'ALLOW');
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
  return { ok: true, caller: { mode: 'AMAZON_COGNITO_USER_POOLS', authType: AUTH_TYPE_NAMES.AMAZON_COGNITO_USER_POOLS, identity, groups } };
}

/** AppSync's IAM mode: the SigV4 signature is verified (sandbox/aws/sigv4.ts); the identity is the signer's. */
async function verifyIam(request: SignedRequest, config: AuthConfig): Promise<AuthResult> {
  const verified = await verifySigV4(request, config.iamPrincipals, { service: 'appsync', ...(config.now ? { now: config.now } : {}) });
  if (!verified.ok) return refused(verified.message, verified.errorType);
  return { ok: true, caller: { mode: 'AWS_IAM', authType: AUTH_TYPE_NAMES.AWS_IAM, identity: iamIdentity(verified.principal, [request.sourceIp]), groups: [] } };
}
