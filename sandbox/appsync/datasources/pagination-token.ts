// The DynamoDB data source's nextToken, opaque as AppSync's is ("AWS AppSync JavaScript resolver function reference
// for DynamoDB", Query: "AWS AppSync encrypts and obfuscates the pagination token"): AES-256-GCM under a key made
// at each sandbox start, so a client can neither read the key layout in it nor change it. That a token serves only the
// table, index and caller it was given to is the sandbox's reading; a token it cannot use gets AppSync's own answer,
// as users report it (https://github.com/aws-amplify/amplify-hosting/issues/433).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Where a token may be used: the table and index it pages, and the caller it was given to. */
export interface TokenScope { table: string; index: string | undefined; caller: string }

export class InvalidPaginationTokenError extends Error {
  readonly errorType = 'DynamoDB:UserIllegalArgumentException';
  constructor() {
    super('com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.');
    this.name = 'InvalidPaginationTokenError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

const scopeBytes = (scope: TokenScope): Buffer => Buffer.from(JSON.stringify([scope.table, scope.index ?? null, scope.caller]));

/** One key for every token of a sandbox run; tokens from an earlier run no longer open. */
export class PaginationTokens {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  /** `text` sealed for `scope`: base64url of nonce, tag and ciphertext. */
  seal(text: string, scope: TokenScope): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(scopeBytes(scope));
    const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The text a token sealed for this same scope; InvalidPaginationTokenError for anything else. */
  open(token: string, scope: TokenScope): string {
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== token) throw new InvalidPaginationTokenError();
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES }).setAAD(scopeBytes(scope));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new InvalidPaginationTokenError();
    }
  }
}

/**
 * Who a token belongs to: the caller's principal (a user pool's or OIDC provider's sub and issuer, an IAM ARN, a Lambda
 * authorizer's context), not the claims that change at each token refresh. API-key callers have no identity: one scope.
 */
export function callerOf(identity: Record<string, unknown> | null): string {
  if (identity === null) return '';
  return JSON.stringify(['issuer', 'sub', 'accountId', 'userArn', 'cognitoIdentityId', 'resolverContext'].map((name) => identity[name] ?? null));
}
