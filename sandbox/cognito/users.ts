// The pool's users: records kept in memory, found by username or by a username attribute (email, phone_number).
import { userNotFound } from './errors.ts';
import type { StoredCredentials } from './password.ts';

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';

export interface PendingCode {
  purpose: 'SIGN_UP' | 'FORGOT_PASSWORD';
  code: string;
  expiresAt: number;
  failures: number;
}

export interface UserRecord {
  /** The internal username: the one SRP and `cognito:username` use (a UUID when users sign in with email). */
  username: string;
  sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  createdAt: number;
  modifiedAt: number;
  credentials: StoredCredentials;
  temporaryPasswordExpiresAt?: number | undefined;
  code?: PendingCode | undefined;
  groups: string[];
}

export class UserDirectory {
  private readonly byUsername = new Map<string, UserRecord>();

  constructor(private readonly aliases: readonly string[]) {}

  /** The user a sign-in name designates: its username, or an email / phone number the pool signs in with. */
  find(login: string): UserRecord | undefined {
    const direct = this.byUsername.get(login);
    if (direct !== undefined) return direct;
    for (const user of this.byUsername.values()) {
      if (this.aliases.some((alias) => user.attributes[alias] === login)) return user;
    }
    return undefined;
  }

  require(login: string): UserRecord {
    const user = this.find(login);
    if (user === undefined) throw userNotFound();
    return user;
  }

  add(user: UserRecord): void {
    this.byUsername.set(user.username, user);
  }

  all(): UserRecord[] {
    return [...this.byUsername.values()];
  }
}

/** `[{ Name, Value }]` with `sub` first, as GetUser and AdminGetUser answer. */
export function attributeList(user: UserRecord): { Name: string; Value: string }[] {
  return [{ Name: 'sub', Value: user.sub }, ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }))];
}

/** The UserType shape of AdminCreateUser and ListUsers; dates in epoch seconds as the JSON protocol writes them. */
export function userType(user: UserRecord): Record<string, unknown> {
  return {
    Username: user.username,
    Attributes: attributeList(user),
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.modifiedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
