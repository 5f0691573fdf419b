// Password policy checks and what is stored for a password: an SRP verifier and a salted scrypt hash, never the text.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { invalidPassword, validation } from './errors.ts';
import type { PasswordPolicy } from './settings.ts';
import { createVerifier, type SrpVerifier } from './srp.ts';

export interface StoredCredentials {
  srp: SrpVerifier;
  scrypt: { salt: string; hash: string };
}

// Cognito's accepted special characters ("Adding user pool password requirements").
const SYMBOLS = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Throws InvalidPasswordException with Cognito's wording for the first requirement not met. */
export function checkPolicy(policy: PasswordPolicy, password: string, member = 'password'): void {
  if (!/^\S(.*\S)?$/su.test(password)) throw validation(member, 'Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$', '[PROTECTED]');
  if ([...password].length < policy.minimumLength) throw invalidPassword('Password not long enough');
  if (policy.requireLowercase && !/\p{Ll}/u.test(password)) throw invalidPassword('Password must have lowercase characters');
  if (policy.requireUppercase && !/\p{Lu}/u.test(password)) throw invalidPassword('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) throw invalidPassword('Password must have numeric characters');
  if (policy.requireSymbols && !SYMBOLS.test(password)) throw invalidPassword('Password must have symbol characters');
}

const scrypt = (password: string, salt: string): Buffer => scryptSync(password.normalize('NFKC'), Buffer.from(salt, 'hex'), 32);

export function createCredentials(poolName: string, username: string, password: string): StoredCredentials {
  const salt = randomBytes(16).toString('hex');
  return { srp: createVerifier(poolName, username, password), scrypt: { salt, hash: scrypt(password, salt).toString('hex') } };
}

export function passwordMatches(credentials: StoredCredentials, password: string): boolean {
  return timingSafeEqual(scrypt(password, credentials.scrypt.salt), Buffer.from(credentials.scrypt.hash, 'hex'));
}
