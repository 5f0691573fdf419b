// The pool's RS256 signing key: generated once, kept in the key file so tokens survive a sandbox restart.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: JWK;
}

interface KeyFile {
  kid: string;
  privateJwk: JsonWebKey;
}

function fromPrivateJwk(kid: string, privateJwk: JsonWebKey): SigningKey {
  const privateKey = createPrivateKey({ key: privateJwk, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  const { n, e } = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, publicKey, publicJwk: { kty: 'RSA', alg: 'RS256', use: 'sig', kid, n: String(n), e: String(e) } };
}

/** Loads the key file, or generates a key (and writes the file when a path is given). */
export function loadSigningKey(keyFile?: string): SigningKey {
  if (keyFile !== undefined && existsSync(keyFile)) {
    const stored = JSON.parse(readFileSync(keyFile, 'utf8')) as KeyFile;
    return fromPrivateJwk(stored.kid, stored.privateJwk);
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = privateKey.export({ format: 'jwk' });
  // Cognito's kids are base64 strings; a digest of the modulus is stable for the key's life.
  const kid = createHash('sha256').update(String(privateJwk.n)).digest('base64');
  if (keyFile !== undefined) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${JSON.stringify({ kid, privateJwk } satisfies KeyFile)}\n`, { mode: 0o600 });
  }
  return fromPrivateJwk(kid, privateJwk);
}
