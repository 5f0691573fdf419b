// util.dynamodb of the APPSYNC_JS runtime: JavaScript values to DynamoDB attribute values.
// "DynamoDB helpers in util.dynamodb": numbers stay JSON numbers ({ "N": 12345 }), as AppSync emits them.
import type { DynamodbUtil } from '@aws-appsync/utils/lib/dynamodb-utils.js';
import { UtilArgumentError } from '../state.ts';

/** A DynamoDB attribute value as AppSync's runtime writes it (numbers unquoted). */
export type AttributeValue =
  | { S: string }
  | { N: number }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: null }
  | { SS: string[] }
  | { NS: number[] }
  | { BS: string[] }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

export interface S3ObjectLocation {
  key: string;
  bucket: string;
  region: string;
  version?: string;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${type === 'object' || type === 'undefined' ? 'an' : 'a'} ${type}`;
}

function fail(fn: string, expected: string, value: unknown): never {
  throw new UtilArgumentError(`util.dynamodb.${fn} expects ${expected}, got ${describe(value)}`);
}

function checkNumber(fn: string, value: unknown): number {
  if (typeof value !== 'number') fail(fn, 'a number', value);
  // DynamoDB has no representation for NaN or the infinities.
  if (!Number.isFinite(value)) throw new UtilArgumentError(`util.dynamodb.${fn} cannot convert ${value} to a DynamoDB number`);
  return value;
}

function checkStringList(fn: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    fail(fn, 'an array of strings', value);
  }
  return [...value];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** util.dynamodb.toDynamoDB: lists become "L" and objects "M", never sets. */
export function toAttributeValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: checkNumber('toDynamoDB', value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (isPlainObject(value)) return { M: toAttributeMap(value) };
  return fail('toDynamoDB', 'a string, number, boolean, null, array or object', value);
}

/** util.dynamodb.toMapValues: undefined members are left out, as JSON would leave them out. */
export function toAttributeMap(value: Record<string, unknown>): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const [name, member] of Object.entries(value)) {
    if (member !== undefined) result[name] = toAttributeValue(member);
  }
  return result;
}

function nullable<T, R>(value: T | null | undefined, convert: (present: T) => R): R | null {
  return value === null || value === undefined ? null : convert(value);
}

function toString(value: unknown): { S: string } | null {
  return nullable(value, (present) => (typeof present === 'string' ? { S: present } : fail('toString', 'a string', present)));
}

function toStringSet(value: unknown): { SS: string[] } | null {
  return nullable(value, (present) => ({ SS: checkStringList('toStringSet', present) }));
}

function toNumber(value: unknown): { N: number } | null {
  return nullable(value, (present) => ({ N: checkNumber('toNumber', present) }));
}

function toNumberSet(value: unknown): { NS: number[] } | null {
  return nullable(value, (present) => {
    if (!Array.isArray(present)) fail('toNumberSet', 'an array of numbers', present);
    return { NS: present.map((item) => checkNumber('toNumberSet', item)) };
  });
}

function toBinary(value: unknown): { B: string } | null {
  return nullable(value, (present) => (typeof present === 'string' ? { B: present } : fail('toBinary', 'a base64 string', present)));
}

function toBinarySet(value: unknown): { BS: string[] } | null {
  return nullable(value, (present) => ({ BS: checkStringList('toBinarySet', present) }));
}

function toBoolean(value: unknown): { BOOL: boolean } | null {
  return nullable(value, (present) => (typeof present === 'boolean' ? { BOOL: present } : fail('toBoolean', 'a boolean', present)));
}

function toList(value: unknown): { L: AttributeValue[] } | null {
  return nullable(value, (present) => (Array.isArray(present) ? { L: present.map(toAttributeValue) } : fail('toList', 'an array', present)));
}

function toMapValues(value: unknown): Record<string, AttributeValue> | null {
  return nullable(value, (present) => (isPlainObject(present) ? toAttributeMap(present) : fail('toMapValues', 'an object', present)));
}

function toMap(value: unknown): { M: Record<string, AttributeValue> } | null {
  return nullable(value, (present) => (isPlainObject(present) ? { M: toAttributeMap(present) } : fail('toMap', 'an object', present)));
}

function toS3Object(key: unknown, bucket: unknown, region: unknown, version?: unknown): { S: string } {
  for (const [label, part] of [['key', key], ['bucket', bucket], ['region', region]] as const) {
    if (typeof part !== 'string') fail('toS3Object', `a string ${label}`, part);
  }
  if (version !== undefined && typeof version !== 'string') fail('toS3Object', 'a string version', version);
  // AppSync writes compact JSON here (its doc example shows spaces, the service does not).
  const s3 = version === undefined ? { key, bucket, region } : { key, bucket, region, version };
  return { S: JSON.stringify({ s3 }) };
}

function fromS3ObjectJson(value: unknown): S3ObjectLocation {
  if (typeof value !== 'string') fail('fromS3ObjectJson', 'a string', value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UtilArgumentError('util.dynamodb.fromS3ObjectJson expects the JSON of an S3 object, got text that is not JSON');
  }
  const s3 = isPlainObject(parsed) ? parsed['s3'] : undefined;
  if (!isPlainObject(s3) || typeof s3['key'] !== 'string' || typeof s3['bucket'] !== 'string' || typeof s3['region'] !== 'string') {
    throw new UtilArgumentError('util.dynamodb.fromS3ObjectJson expects {"s3":{"key","bucket","region"}}');
  }
  const location: S3ObjectLocation = { key: s3['key'], bucket: s3['bucket'], region: s3['region'] };
  if (typeof s3['version'] === 'string') location.version = s3['version'];
  return location;
}

const implementation = {
  toDynamoDB: (value: unknown) => (value === undefined ? null : toAttributeValue(value)),
  toString,
  toStringSet,
  toNumber,
  toNumberSet,
  toBinary,
  toBinarySet,
  toBoolean,
  toNull: () => ({ NULL: null }),
  toList,
  toMap,
  toMapValues,
  toS3Object,
  fromS3ObjectJson,
};

/**
 * AWS's typings declare `N: string`, but the APPSYNC_JS runtime (and its documentation) emits numbers,
 * so the implementation is typed on its own and presented under AWS's declared type.
 */
export const dynamodbUtil = implementation as unknown as DynamodbUtil;
