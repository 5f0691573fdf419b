// util.dynamodb against the examples of "DynamoDB helpers in util.dynamodb" and AppSync's observed outputs.
import { describe, expect, it } from '@jest/globals';
import { UtilArgumentError } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { dynamodbUtil } from '../../../../../../sandbox/appsync/runtime/util/attribute-values.ts';

// The implementation returns numbers where AWS's typings say strings; compare as plain data.
const util = dynamodbUtil as unknown as Record<string, (...args: unknown[]) => unknown>;
const call = (name: string, ...args: unknown[]): unknown => (util[name] as (...a: unknown[]) => unknown)(...args);

describe('util.dynamodb.toDynamoDB', () => {
  it('converts a string as the docs show', () => {
    expect(call('toDynamoDB', 'foo')).toStrictEqual({ S: 'foo' });
  });

  it('keeps a number a JSON number as the docs show', () => {
    expect(call('toDynamoDB', 12345)).toStrictEqual({ N: 12345 });
  });

  it('converts a boolean as the docs show', () => {
    expect(call('toDynamoDB', true)).toStrictEqual({ BOOL: true });
  });

  it('converts null to a NULL attribute', () => {
    expect(call('toDynamoDB', null)).toStrictEqual({ NULL: null });
  });

  it('returns null for undefined', () => {
    expect(call('toDynamoDB', undefined)).toBeNull();
  });

  it('converts a list as the docs show', () => {
    expect(call('toDynamoDB', ['foo', 123, { bar: 'baz' }])).toStrictEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
  });

  it('converts a map as the docs show', () => {
    expect(call('toDynamoDB', { foo: 'bar', baz: 1234, beep: ['boop'] })).toStrictEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
  });

  it('leaves undefined members out of a map and writes undefined list items as NULL', () => {
    expect(call('toDynamoDB', { a: undefined, b: [undefined] })).toStrictEqual({ M: { b: { L: [{ NULL: null }] } } });
  });

  it('rejects a function', () => {
    expect(() => call('toDynamoDB', () => 1)).toThrow(new UtilArgumentError('util.dynamodb.toDynamoDB expects a string, number, boolean, null, array or object, got a function'));
  });

  it('rejects a number DynamoDB cannot store', () => {
    expect(() => call('toDynamoDB', Number.NaN)).toThrow('util.dynamodb.toDynamoDB cannot convert NaN to a DynamoDB number');
  });
});

describe('util.dynamodb scalar and set helpers', () => {
  it.each([
    ['toString', 'foo', { S: 'foo' }],
    ['toStringSet', ['foo', 'bar', 'baz'], { SS: ['foo', 'bar', 'baz'] }],
    ['toNumber', 12345, { N: 12345 }],
    ['toNumberSet', [1, 23, 4.56], { NS: [1, 23, 4.56] }],
    ['toBinary', 'foo', { B: 'foo' }],
    ['toBinarySet', ['foo', 'bar', 'baz'], { BS: ['foo', 'bar', 'baz'] }],
    ['toBoolean', true, { BOOL: true }],
  ])('%s gives the docs example output', (name, input, output) => {
    expect(call(name, input)).toStrictEqual(output);
  });

  it.each(['toString', 'toStringSet', 'toNumber', 'toNumberSet', 'toBinary', 'toBinarySet', 'toBoolean', 'toList', 'toMap', 'toMapValues'])(
    '%s returns null for null and undefined',
    (name) => {
      expect([call(name, null), call(name, undefined)]).toStrictEqual([null, null]);
    },
  );

  it.each([
    ['toString', 5, 'util.dynamodb.toString expects a string, got a number'],
    ['toStringSet', ['a', 1], 'util.dynamodb.toStringSet expects an array of strings, got an array'],
    ['toNumber', '5', 'util.dynamodb.toNumber expects a number, got a string'],
    ['toNumberSet', 'x', 'util.dynamodb.toNumberSet expects an array of numbers, got a string'],
    ['toNumberSet', [1, Infinity], 'util.dynamodb.toNumberSet cannot convert Infinity to a DynamoDB number'],
    ['toBinary', {}, 'util.dynamodb.toBinary expects a base64 string, got an object'],
    ['toBinarySet', 'x', 'util.dynamodb.toBinarySet expects an array of strings, got a string'],
    ['toBoolean', 'true', 'util.dynamodb.toBoolean expects a boolean, got a string'],
    ['toList', {}, 'util.dynamodb.toList expects an array, got an object'],
    ['toMap', [], 'util.dynamodb.toMap expects an object, got an array'],
    ['toMapValues', 'x', 'util.dynamodb.toMapValues expects an object, got a string'],
  ])('%s rejects %p with a message naming the function', (name, input, message) => {
    expect(() => call(name, input)).toThrow(new UtilArgumentError(message));
  });

  it('toNull gives the docs example output', () => {
    expect(dynamodbUtil.toNull()).toStrictEqual({ NULL: null });
  });
});

describe('util.dynamodb list and map helpers', () => {
  it('toList gives the docs example output', () => {
    expect(call('toList', ['foo', 123, { bar: 'baz' }])).toStrictEqual({
      L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }],
    });
  });

  it('toMap gives the docs example output', () => {
    expect(call('toMap', { foo: 'bar', baz: 1234, beep: ['boop'] })).toStrictEqual({
      M: { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } },
    });
  });

  it('toMapValues gives the docs example output, the contents of toMap', () => {
    expect(call('toMapValues', { foo: 'bar', baz: 1234, beep: ['boop'] })).toStrictEqual({
      foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] },
    });
  });
});

describe('util.dynamodb S3 objects', () => {
  it('toS3Object writes compact JSON of key, bucket and region, as AppSync does', () => {
    expect(dynamodbUtil.toS3Object('foo', 'bar', 'baz')).toStrictEqual({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' });
  });

  it('toS3Object adds the version when given', () => {
    expect(dynamodbUtil.toS3Object('foo', 'bar', 'baz', 'beep')).toStrictEqual({
      S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}',
    });
  });

  it('toS3Object rejects a key that is not a string', () => {
    expect(() => call('toS3Object', 1, 'bar', 'baz')).toThrow('util.dynamodb.toS3Object expects a string key, got a number');
  });

  it('toS3Object rejects a version that is not a string', () => {
    expect(() => call('toS3Object', 'foo', 'bar', 'baz', 2)).toThrow('util.dynamodb.toS3Object expects a string version, got a number');
  });

  it('fromS3ObjectJson reads back key, bucket, region and version', () => {
    const json = '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}';

    const location: unknown = dynamodbUtil.fromS3ObjectJson(json);

    expect(location).toStrictEqual({ key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' });
  });

  it('fromS3ObjectJson reads an object without version', () => {
    const location: unknown = dynamodbUtil.fromS3ObjectJson('{"s3":{"key":"k","bucket":"b","region":"r"}}');

    expect(location).toStrictEqual({ key: 'k', bucket: 'b', region: 'r' });
  });

  it('fromS3ObjectJson rejects text that is not JSON', () => {
    expect(() => call('fromS3ObjectJson', '{s3')).toThrow('util.dynamodb.fromS3ObjectJson expects the JSON of an S3 object, got text that is not JSON');
  });

  it('fromS3ObjectJson rejects JSON without an s3 member', () => {
    expect(() => call('fromS3ObjectJson', '{"key":"k"}')).toThrow('util.dynamodb.fromS3ObjectJson expects {"s3":{"key","bucket","region"}}');
  });

  it('fromS3ObjectJson rejects a value that is not a string', () => {
    expect(() => call('fromS3ObjectJson', {})).toThrow('util.dynamodb.fromS3ObjectJson expects a string, got an object');
  });
});
