// One comparison for every secret a caller presents (a SigV4 signature, an API key, a confirmation code).
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a secret (a signature, an API key) with what a caller sent in constant time: both are hashed to
 * equal-length digests first, so neither where they differ nor the secret's length shows in the time taken.
 */
export function secretsEqual(secret: string, given: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(secret), digest(given));
}
