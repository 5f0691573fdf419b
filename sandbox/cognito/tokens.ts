// Tokens as Cognito issues them ("Understanding user pool JSON web tokens"): RS256 id and access JWTs,
// opaque refresh tokens, and revocation by GlobalSignOut and RevokeToken. Tests can also expire a user's id and access
// tokens early (sandbox/admin/), which Cognito has no call for: the sandbox's own addition.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { notAuthorized } from './errors.ts';
import type { SigningKey } from './keys.ts';
import type { ClientSettings } from './settings.ts';
import type { UserRecord } from './users.ts';

interface RefreshRecord {
  username: string;
  clientId: string;
  originJti: string;
  authTime: number;
  expiresAt: number;
  revoked: boolean;
}

/** What survives a restart: refresh sessions by the SHA-256 of their token (never the token), and revoked origins. */
export interface TokenState {
  refreshTokens: (RefreshRecord & { tokenHash: string })[];
  revokedOrigins: string[];
}

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  IdToken: string;
  RefreshToken?: string;
}

// A refresh token reads as Cognito's: a JWE compact serialization whose content only the pool can read.
const JWE_HEADER = Buffer.from(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' })).toString('base64url');
const opaque = (bytes: number): string => randomBytes(bytes).toString('base64url');
const digest = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class TokenService {
  /** By the SHA-256 of the token, so the state file can hold them without the tokens. */
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly revokedOrigins = new Set<string>();
  /** By sub: id and access tokens issued before this time (epoch seconds) read as expired. */
  private readonly expiredBefore = new Map<string, number>();

  constructor(
    private readonly key: SigningKey,
    readonly issuer: string,
    private readonly now: () => number,
  ) {}

  /** Signs id and access tokens; a new sign-in (no `origin`) also gets a refresh token. */
  async issue(user: UserRecord, client: ClientSettings, origin?: { originJti: string; authTime: number }): Promise<AuthenticationResult> {
    // After an early expiry in this second, a new token is dated the next second, so that it is after the cut.
    const iat = Math.max(Math.floor(this.now() / 1000), this.expiredBefore.get(user.sub) ?? 0);
    const originJti = origin?.originJti ?? randomUUID();
    const authTime = origin?.authTime ?? iat;
    const common = { sub: user.sub, iss: this.issuer, origin_jti: originJti, event_id: randomUUID(), auth_time: authTime, iat };
    const groups = user.groups.length > 0 ? { 'cognito:groups': [...user.groups] } : {};
    const { email_verified: verified, phone_number_verified: phoneVerified, ...attributes } = user.attributes;
    const idClaims: JWTPayload = {
      ...attributes, ...common, ...groups,
      ...(verified === undefined ? {} : { email_verified: verified === 'true' }),
      ...(phoneVerified === undefined ? {} : { phone_number_verified: phoneVerified === 'true' }),
      aud: client.clientId, token_use: 'id', 'cognito:username': user.username,
      exp: iat + client.idTokenMinutes * 60, jti: randomUUID(),
    };
    const accessClaims: JWTPayload = {
      ...common, ...groups, version: 2, client_id: client.clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin',
      exp: iat + client.accessTokenMinutes * 60, jti: randomUUID(), username: user.username,
    };
    const result: AuthenticationResult = {
      AccessToken: await this.sign(accessClaims),
      ExpiresIn: client.accessTokenMinutes * 60,
      TokenType: 'Bearer',
      IdToken: await this.sign(idClaims),
    };
    if (origin === undefined) {
      const token = [JWE_HEADER, opaque(192), opaque(12), opaque(1200), opaque(16)].join('.');
      const expiresAt = this.now() + client.refreshTokenDays * 86_400_000;
      this.refreshTokens.set(digest(token), { username: user.username, clientId: client.clientId, originJti, authTime, expiresAt, revoked: false });
      result.RefreshToken = token;
    }
    return result;
  }

  private sign(claims: JWTPayload): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ kid: this.key.kid, alg: 'RS256' }).sign(this.key.privateKey);
  }

  /** The session a refresh token continues, or NotAuthorizedException. */
  refreshSession(token: string, clientId: string): { username: string; originJti: string; authTime: number } {
    const record = this.refreshTokens.get(digest(token));
    if (record === undefined || record.clientId !== clientId) throw notAuthorized('Invalid Refresh Token');
    if (record.revoked) throw notAuthorized('Refresh Token has been revoked');
    if (this.now() > record.expiresAt) throw notAuthorized('Refresh Token has expired');
    return record;
  }

  /** Verifies an access token as GetUser, ChangePassword and GlobalSignOut do. */
  async verifyAccessToken(token: string): Promise<JWTPayload & { username: string }> {
    let payload: JWTPayload;
    try {
      // Every access token the pool issues has exp (issue above); one without it is not the pool's and would never expire.
      ({ payload } = await jwtVerify(token, this.key.publicKey, { issuer: this.issuer, algorithms: ['RS256'], requiredClaims: ['exp'], currentDate: new Date(this.now()) }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw notAuthorized('Access Token has expired');
      throw notAuthorized('Invalid Access Token');
    }
    if (payload.token_use !== 'access' || typeof payload.username !== 'string') throw notAuthorized('Invalid Access Token');
    if (this.isRevoked(payload)) throw notAuthorized('Access Token has been revoked');
    if (this.isExpiredEarly(payload)) throw notAuthorized('Access Token has expired');
    return payload as JWTPayload & { username: string };
  }

  /** True for a token of a session ended by GlobalSignOut, AdminUserGlobalSignOut or RevokeToken. */
  isRevoked(claims: JWTPayload): boolean {
    return typeof claims.origin_jti === 'string' && this.revokedOrigins.has(claims.origin_jti);
  }

  /**
   * The user's id and access tokens issued until now read as expired from now on; refresh tokens still work, and the
   * tokens they give are new. Tokens carry seconds, so the cut is the next second and tokens issued later are dated at
   * least that.
   */
  expireIssued(sub: string): void {
    this.expiredBefore.set(sub, Math.floor(this.now() / 1000) + 1);
  }

  /** True for a token issued before its user's tokens were expired early (expireIssued). */
  isExpiredEarly(claims: JWTPayload): boolean {
    const cut = typeof claims.sub === 'string' ? this.expiredBefore.get(claims.sub) : undefined;
    return cut !== undefined && typeof claims.iat === 'number' && claims.iat < cut;
  }

  /** Ends every session of a user. */
  revokeUser(username: string): void {
    for (const record of this.refreshTokens.values()) if (record.username === username) this.revoke(record);
  }

  /** Ends the session of one refresh token; unknown tokens are ignored (RFC 7009). */
  revokeRefreshToken(token: string, clientId: string): void {
    const record = this.refreshTokens.get(digest(token));
    if (record?.clientId === clientId) this.revoke(record);
  }

  /** The sessions and revocations, for the state file. */
  snapshot(): TokenState {
    return {
      refreshTokens: [...this.refreshTokens].map(([tokenHash, record]) => ({ tokenHash, ...record })),
      revokedOrigins: [...this.revokedOrigins],
    };
  }

  /** Takes back what `snapshot` gave, at start. */
  restore(state: TokenState): void {
    for (const { tokenHash, ...record } of state.refreshTokens) this.refreshTokens.set(tokenHash, record);
    for (const origin of state.revokedOrigins) this.revokedOrigins.add(origin);
  }

  private revoke(record: RefreshRecord): void {
    record.revoked = true;
    this.revokedOrigins.add(record.originJti);
  }
}
