// Creating a user and setting a password, as sign-up, admin operations and password changes do in a pool.
import { randomUUID } from 'node:crypto';
import { invalidParameter, usernameExists } from './errors.ts';
import { createCredentials } from './password.ts';
import type { PoolContext } from './state.ts';
import type { UserRecord } from './users.ts';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** A new user from a sign-up or an admin: checks the name and attributes, refuses duplicates, keeps the password as credentials. */
export function createUser(ctx: PoolContext, login: string, attributes: Record<string, string>, password: string): UserRecord {
  const aliases = ctx.settings.usernameAttributes;
  const attrs = { ...attributes };
  delete attrs.sub;
  let username = login;
  if (aliases.length > 0) {
    const alias = aliases.find((a) => (a === 'email' ? EMAIL.test(login) : /^\+\d+$/.test(login)));
    if (alias === undefined) throw invalidParameter(aliases.includes('email') ? 'Username should be an email.' : 'Username should be a phone number.');
    attrs[alias] = login;
    username = randomUUID();
  }
  if (attrs.email !== undefined && !EMAIL.test(attrs.email)) throw invalidParameter('Invalid email address format.');
  if (aliases.length === 0 && ctx.users.find(login) !== undefined) throw usernameExists();
  for (const alias of aliases) {
    const value = attrs[alias];
    if (value !== undefined && ctx.users.find(value) !== undefined) throw usernameExists(alias === 'email' ? 'email' : 'phone_number');
  }
  const now = ctx.now();
  const user: UserRecord = {
    username,
    sub: aliases.length > 0 ? username : randomUUID(),
    attributes: attrs,
    status: 'UNCONFIRMED',
    enabled: true,
    createdAt: now,
    modifiedAt: now,
    credentials: createCredentials(ctx.settings.poolName, username, password),
    groups: [],
  };
  ctx.users.add(user);
  return user;
}

export function setPassword(ctx: PoolContext, user: UserRecord, password: string): void {
  user.credentials = createCredentials(ctx.settings.poolName, user.username, password);
  user.modifiedAt = ctx.now();
}

/** The user's password is permanent from now on: confirmed, with no temporary password left to expire. */
export function makePermanent(ctx: PoolContext, user: UserRecord): void {
  user.status = 'CONFIRMED';
  user.temporaryPasswordExpiresAt = undefined;
  user.modifiedAt = ctx.now();
}
