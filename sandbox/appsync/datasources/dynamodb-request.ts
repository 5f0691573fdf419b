// Reads the parts of a DynamoDB request object (typed values, expressions, pagination tokens) into AWS SDK inputs,
// refusing malformed ones with a MappingTemplate error before anything is sent.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { MappingTemplateError } from './outcome.ts';
import type { PaginationTokens, TokenScope } from './pagination-token.ts';

export type Fields = Record<string, unknown>;
export type AttributeMap = Record<string, AttributeValue>;

export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fail(message: string): never {
  throw new MappingTemplateError(message);
}

const isString = (value: unknown): value is string => typeof value === 'string';
const isNumeric = (value: unknown): boolean => (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
const binary = (value: string): Uint8Array => Buffer.from(value, 'base64');

/** "Type system (request mapping)": { "S": "text" }, { "N": 12 } (AppSync writes numbers unquoted), { "B": base64 }, sets, L and M. */
const TYPES: Record<string, { accepts: (value: unknown) => boolean; convert: (value: never, path: string) => AttributeValue }> = {
  S: { accepts: isString, convert: (value: string) => ({ S: value }) },
  N: { accepts: isNumeric, convert: (value: number | string) => ({ N: String(value) }) },
  B: { accepts: isString, convert: (value: string) => ({ B: binary(value) }) },
  BOOL: { accepts: (value) => typeof value === 'boolean', convert: (value: boolean) => ({ BOOL: value }) },
  NULL: { accepts: (value) => value === null || value === true, convert: () => ({ NULL: true }) },
  SS: { accepts: (value) => Array.isArray(value) && value.every(isString), convert: (value: string[]) => ({ SS: [...value] }) },
  NS: { accepts: (value) => Array.isArray(value) && value.every(isNumeric), convert: (value: (number | string)[]) => ({ NS: value.map(String) }) },
  BS: { accepts: (value) => Array.isArray(value) && value.every(isString), convert: (value: string[]) => ({ BS: value.map(binary) }) },
  L: { accepts: Array.isArray, convert: (value: unknown[], path: string) => ({ L: value.map((item, index) => toAttributeValue(item, `${path}[${index}]`)) }) },
  M: { accepts: isObject, convert: (value: Fields, path: string) => ({ M: toAttributeMap(value, path) }) },
};

export function toAttributeValue(value: unknown, path: string): AttributeValue {
  const entries = isObject(value) ? Object.entries(value) : [];
  const [type, content] = entries[0] ?? ['', undefined];
  const kind = entries.length === 1 ? TYPES[type] : undefined;
  if (kind === undefined || !kind.accepts(content)) {
    fail(`${path} must be a DynamoDB typed value such as { "S": "text" } or { "N": 1 }, got ${JSON.stringify(value) ?? 'undefined'}`);
  }
  return kind.convert(content as never, path);
}

export function toAttributeMap(value: unknown, path: string): AttributeMap {
  if (!isObject(value)) fail(`${path} must be an object of DynamoDB typed values`);
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, toAttributeValue(item, `${path}.${name}`)]));
}

/** A required `key`: a non-empty map of typed values. */
export function requiredKey(value: unknown, path: string): AttributeMap {
  if (value === undefined || value === null) fail(`${path} is required`);
  const key = toAttributeMap(value, path);
  if (Object.keys(key).length === 0) fail(`${path} must name the item's key attributes`);
  return key;
}

export function optional<T>(request: Fields, field: string, check: (value: unknown) => value is T, expected: string): T | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (!check(value)) fail(`\`${field}\` must be ${expected}`);
  return value;
}

export const optionalString = (request: Fields, field: string): string | undefined => optional(request, field, isString, 'a string');
export const optionalBoolean = (request: Fields, field: string): boolean | undefined =>
  optional(request, field, (value): value is boolean => typeof value === 'boolean', 'a boolean');
export const optionalInteger = (request: Fields, field: string): number | undefined =>
  optional(request, field, (value): value is number => Number.isInteger(value) && (value as number) >= 0, 'a non-negative integer');

export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: AttributeMap;
}

/** A `condition`, `filter`, `query`, `update` or `projection` section: { expression, expressionNames?, expressionValues? }. */
export function expression(request: Fields, field: string, required = false): Expression | undefined {
  const section = request[field];
  if (section === undefined || section === null) return required ? fail(`\`${field}\` is required`) : undefined;
  if (!isObject(section) || !isString(section['expression']) || section['expression'].trim() === '') fail(`\`${field}.expression\` must be a non-empty string`);
  const names = section['expressionNames'] ?? {};
  if (!isObject(names) || !Object.values(names).every(isString)) fail(`\`${field}.expressionNames\` must map placeholders to attribute names`);
  const values = toAttributeMap(section['expressionValues'] ?? {}, `${field}.expressionValues`);
  return { expression: section['expression'], names: names as Record<string, string>, values };
}

/** The placeholders of several sections, merged: one name or value per placeholder. */
export function placeholders(...sections: (Expression | undefined)[]): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: AttributeMap } {
  const names: Record<string, string> = {};
  const values: AttributeMap = {};
  for (const section of sections) {
    if (section === undefined) continue;
    for (const [placeholder, name] of Object.entries(section.names)) {
      if (names[placeholder] !== undefined && names[placeholder] !== name) fail(`expression name ${placeholder} stands for both '${names[placeholder]}' and '${name}'`);
      names[placeholder] = name;
    }
    for (const [placeholder, value] of Object.entries(section.values)) {
      if (values[placeholder] !== undefined && JSON.stringify(values[placeholder]) !== JSON.stringify(value)) fail(`expression value ${placeholder} is given two different values`);
      values[placeholder] = value;
    }
  }
  return {
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/** What pages a Query or Scan: the tokens of this sandbox run, and the caller the tokens are given to. */
export interface Paging { tokens: PaginationTokens; caller: string }

/** nextToken: LastEvaluatedKey as JSON (binary keys as base64), sealed for the table, index and caller. */
export function encodeNextToken(key: AttributeMap | undefined, paging: Paging, at: Omit<TokenScope, 'caller'>): string | null {
  if (key === undefined) return null;
  const typed = Object.fromEntries(Object.entries(key).map(([name, value]) => [name, value.B === undefined ? value : { B: Buffer.from(value.B).toString('base64') }]));
  return paging.tokens.seal(JSON.stringify(typed), { ...at, caller: paging.caller });
}

/** ExclusiveStartKey from a nextToken this data source gave the same caller for the same table and index. */
export function decodeNextToken(token: string | undefined, paging: Paging, at: Omit<TokenScope, 'caller'>): AttributeMap | undefined {
  if (token === undefined) return undefined;
  return toAttributeMap(JSON.parse(paging.tokens.open(token, { ...at, caller: paging.caller })), 'nextToken');
}
