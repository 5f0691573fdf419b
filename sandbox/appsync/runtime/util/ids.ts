// util.autoId, util.autoUlid, util.autoKsuid: random identifiers.
// AWS AppSync docs, "Built-in utilities" (ID generation utils).
import { randomUUID } from 'node:crypto';
import KSUID from 'ksuid';
import { ulid } from 'ulid';

/** A random version 4 UUID, lower-case, as "3b241101-e2bb-4255-8caf-4136c566a962". */
export function autoId(): string {
  return randomUUID();
}

/** A ULID: 26 Crockford base32 characters, sortable by creation time. */
export function autoUlid(): string {
  return ulid();
}

/** A KSUID: 27 base62 characters, sortable by creation time (to the second). */
export function autoKsuid(): string {
  return KSUID.randomSync().string;
}
