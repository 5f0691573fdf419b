// Reading a request's members, refusing missing or mistyped ones with AWS's validation wording.
import { validation } from './errors.ts';

export type Input = Record<string, unknown>;

/** AWS names a member in lower camel case in validation messages: Username -> username. */
const member = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(member(name), 'Member must be a string', JSON.stringify(value));
  return value;
}

export function requiredString(input: Input, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined || value === '') throw validation(member(name), 'Member must not be null');
  return value;
}

/** A map of strings such as AuthParameters or ChallengeResponses. */
export function stringMap(input: Input, name: string): Record<string, string> {
  const value = input[name] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw validation(member(name), 'Member must be a map');
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) if (typeof item === 'string') out[key] = item;
  return out;
}

/** `[{ Name, Value }]` attribute lists as a record. */
export function attributeMap(input: Input, name: string): Record<string, string> {
  const value = input[name] ?? [];
  if (!Array.isArray(value)) throw validation(member(name), 'Member must be a list');
  const out: Record<string, string> = {};
  for (const item of value as unknown[]) {
    const { Name, Value } = (item ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string') throw validation(`${member(name)}.member.name`, 'Member must not be null');
    out[Name] = typeof Value === 'string' ? Value : '';
  }
  return out;
}

export function requireMember(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw validation(member(name), 'Member must not be null');
  return value;
}
