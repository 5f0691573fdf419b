// ListUsers: users in creation order, filtered by `attribute = "value"` or `attribute ^= "prefix"`, 60 a page at most
// ("ListUsers", Amazon Cognito API Reference).
import { invalidParameter } from '../errors.ts';
import { optionalString } from '../input.ts';
import { requirePool } from '../resources.ts';
import type { Operation } from '../state.ts';
import { userType, type UserRecord } from '../users.ts';

const FILTER = /^\s*([\w:]+)\s*(=|\^=)\s*"(.*)"\s*$/;
const SEARCHABLE = new Set(['username', 'email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username', 'cognito:user_status', 'status', 'sub']);

function field(user: UserRecord, name: string): string | undefined {
  if (name === 'username') return user.username;
  if (name === 'sub') return user.sub;
  if (name === 'cognito:user_status') return user.status;
  if (name === 'status') return user.enabled ? 'Enabled' : 'Disabled';
  return user.attributes[name];
}

export const listUsers: Operation = async (ctx, input) => {
  requirePool(ctx, input);
  let users = ctx.users.all();
  const filter = optionalString(input, 'Filter');
  if (filter !== undefined && filter !== '') {
    const [, name = '', op, value = ''] = FILTER.exec(filter) ?? [];
    if (!SEARCHABLE.has(name)) throw invalidParameter('Invalid search attribute');
    users = users.filter((u) => {
      const actual = field(u, name);
      return actual !== undefined && (op === '=' ? actual === value : actual.startsWith(value));
    });
  }
  const limit = input.Limit === undefined ? 60 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 60) throw invalidParameter('Limit must be between 0 and 60');
  const start = Number(optionalString(input, 'PaginationToken') ?? 0);
  const page = users.slice(start, start + limit);
  const wanted = Array.isArray(input.AttributesToGet) ? new Set(input.AttributesToGet.map(String)) : undefined;
  const output: Record<string, unknown> = {
    Users: page.map((u) => {
      const view = userType(u);
      if (wanted !== undefined) view.Attributes = (view.Attributes as { Name: string }[]).filter((a) => wanted.has(a.Name));
      return view;
    }),
  };
  if (start + limit < users.length) output.PaginationToken = String(start + limit);
  return Promise.resolve(output);
};
