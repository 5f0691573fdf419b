// util.transform against "Transformation helpers in util.transform", "Enhanced subscription
// filtering" and AppSync's observed outputs.
import { describe, expect, it } from '@jest/globals';
import { UtilArgumentError } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { transformUtil } from '../../../../../../sandbox/appsync/runtime/util/transform.ts';

type Loose = (...args: unknown[]) => unknown;
const filterExpression = (filter: unknown): unknown => JSON.parse((transformUtil.toDynamoDBFilterExpression as Loose)(filter) as string);
const conditionExpression = (condition: unknown): unknown => JSON.parse((transformUtil.toDynamoDBConditionExpression as Loose)(condition) as string);
const queryDsl = (filter: unknown): unknown => JSON.parse((transformUtil.toElasticsearchQueryDSL as Loose)(filter) as string);
const subscriptionFilter = (...args: unknown[]): unknown => (transformUtil.toSubscriptionFilter as Loose)(...args);

describe('util.transform.toDynamoDBFilterExpression', () => {
  it('gives AppSync\'s output for the docs example (the docs print it without parentheses, with a space after the comma)', () => {
    const result = transformUtil.toDynamoDBFilterExpression({ title: { contains: 'Hello World' } });

    expect(result).toBe('{"expression":"(contains(#title,:title_contains))","expressionNames":{"#title":"title"},"expressionValues":{":title_contains":{"S":"Hello World"}}}');
  });

  it.each([
    ['ne', 1, '(#a <> :a_ne)'],
    ['lt', 1, '(#a < :a_lt)'],
    ['le', 1, '(#a <= :a_le)'],
    ['gt', 1, '(#a > :a_gt)'],
    ['ge', 1, '(#a >= :a_ge)'],
    ['beginsWith', 'x', '(begins_with(#a,:a_beginsWith))'],
    ['notContains', 'x', '(NOT contains(#a,:a_notContains))'],
  ])('writes %s as a parenthesised comparison', (operator, operand, expression) => {
    expect(filterExpression({ a: { [operator]: operand } })).toMatchObject({ expression });
  });

  it('writes between with two values named _between_1 and _between_2 (naming of AppSync\'s VTL helper, not documented for JS)', () => {
    expect(filterExpression({ n: { between: [1, 5] } })).toStrictEqual({
      expression: '(#n BETWEEN :n_between_1 AND :n_between_2)',
      expressionNames: { '#n': 'n' },
      expressionValues: { ':n_between_1': { N: 1 }, ':n_between_2': { N: 5 } },
    });
  });

  it('writes in as an IN list with one value per item (scheme not documented by AWS)', () => {
    expect(filterExpression({ s: { in: ['a', 'b'] } })).toStrictEqual({
      expression: '(#s IN (:s_in_0,:s_in_1))',
      expressionNames: { '#s': 's' },
      expressionValues: { ':s_in_0': { S: 'a' }, ':s_in_1': { S: 'b' } },
    });
  });

  it('writes attributeType with the DynamoDB type letter as value', () => {
    expect(filterExpression({ tags: { attributeType: 'stringSet' } })).toStrictEqual({
      expression: '(attribute_type(#tags,:tags_attributeType))',
      expressionNames: { '#tags': 'tags' },
      expressionValues: { ':tags_attributeType': { S: 'SS' } },
    });
  });

  it('ANDs several operators of one field inside one pair of parentheses', () => {
    expect(filterExpression({ n: { gt: 1, lt: 9 } })).toMatchObject({ expression: '((#n > :n_gt) AND (#n < :n_lt))' });
  });

  it('ORs the members of an or list and names their values by position (naming not documented by AWS)', () => {
    expect(filterExpression({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toStrictEqual({
      expression: '((#a = :or_0_a_eq) OR (#b = :or_1_b_eq))',
      expressionNames: { '#a': 'a', '#b': 'b' },
      expressionValues: { ':or_0_a_eq': { N: 1 }, ':or_1_b_eq': { N: 2 } },
    });
  });

  it('ANDs an and list with the other fields', () => {
    expect(filterExpression({ c: { eq: true }, and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toMatchObject({
      expression: '(#c = :c_eq) AND ((#a = :and_0_a_eq) AND (#b = :and_1_b_eq))',
    });
  });

  it('accepts a single object under and', () => {
    expect(filterExpression({ and: { a: { eq: 1 } } })).toMatchObject({ expression: '(#a = :and_a_eq)' });
  });

  it('negates a not object as a whole', () => {
    expect(filterExpression({ not: { a: { eq: 1 }, b: { eq: 2 } } })).toMatchObject({
      expression: 'NOT ((#a = :not_a_eq) AND (#b = :not_b_eq))',
    });
  });

  it('leaves out fields that are null and operators that are undefined', () => {
    expect(filterExpression({ a: null, b: { eq: 1, ne: undefined }, not: {} })).toMatchObject({ expression: '(#b = :b_eq)' });
  });

  it('gives an empty expression for an empty filter', () => {
    expect(filterExpression({})).toStrictEqual({ expression: '', expressionNames: {}, expressionValues: {} });
  });

  it.each([
    [{ a: { like: 'x' } }, "util.transform.toDynamoDBFilterExpression: unsupported operator 'like' on 'a'"],
    [{ a: 'x' }, "util.transform.toDynamoDBFilterExpression: 'a' must map operators to values, e.g. { \"eq\": 1 }"],
    [{ a: { between: [1] } }, "util.transform.toDynamoDBFilterExpression: operator 'between' on 'a' expects an array of two values"],
    [{ a: { in: [] } }, "util.transform.toDynamoDBFilterExpression: operator 'in' on 'a' expects a non-empty array"],
    [{ a: { attributeExists: 'yes' } }, "util.transform.toDynamoDBFilterExpression: operator 'attributeExists' on 'a' expects a boolean"],
    [{ or: ['x'] }, 'util.transform.toDynamoDBFilterExpression expects an object'],
  ])('rejects %p', (filter, message) => {
    expect(() => filterExpression(filter)).toThrow(new UtilArgumentError(message));
  });

  it('rejects an unknown attributeType, listing the known ones', () => {
    expect(() => filterExpression({ a: { attributeType: 'date' } })).toThrow(
      "operator 'attributeType' on 'a' expects one of _null, string, stringSet, number, numberSet, binary, binarySet, boolean, list, map",
    );
  });

  it('rejects a filter that is not an object', () => {
    expect(() => filterExpression('title')).toThrow('util.transform.toDynamoDBFilterExpression expects an object');
  });
});

describe('util.transform.toDynamoDBConditionExpression', () => {
  it('gives AppSync\'s output for attributeExists with an equality', () => {
    const result = transformUtil.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } });

    expect(result).toBe('{"expression":"(attribute_exists(#id)) AND (#version = :version_eq)","expressionNames":{"#id":"id","#version":"version"},"expressionValues":{":version_eq":{"N":10}}}');
  });

  it('writes attributeExists false as attribute_not_exists', () => {
    expect(conditionExpression({ id: { attributeExists: false } })).toStrictEqual({
      expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {},
    });
  });

  it('names the caller in its errors', () => {
    expect(() => conditionExpression({ a: { size: 1 } })).toThrow("util.transform.toDynamoDBConditionExpression: unsupported operator 'size' on 'a'");
  });
});

describe('util.transform.toElasticsearchQueryDSL', () => {
  it('gives the docs example output', () => {
    const result = queryDsl({ upvotes: { ne: 15, range: [10, 20] }, title: { eq: 'hihihi', wildcard: 'h*i' } });

    expect(result).toStrictEqual({
      bool: {
        must: [
          { bool: { must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }] } },
          { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
        ],
      },
    });
  });

  it('gives a single clause without a bool wrapper', () => {
    expect(queryDsl({ upvotes: { gt: 5 } })).toStrictEqual({ range: { upvotes: { gt: 5 } } });
  });

  it.each([
    ['match', 'match'], ['matchPhrase', 'match_phrase'], ['matchPhrasePrefix', 'match_phrase_prefix'],
    ['multiMatch', 'multi_match'], ['regexp', 'regexp'],
  ])('writes %s as an OpenSearch %s query', (operator, query) => {
    expect(queryDsl({ title: { [operator]: 'x' } })).toStrictEqual({ [query]: { title: 'x' } });
  });

  it('writes exists true as an exists query and false as its negation', () => {
    expect(queryDsl({ a: { exists: true }, b: { exists: false } })).toStrictEqual({
      bool: { must: [{ exists: { field: 'a' } }, { bool: { must_not: { exists: { field: 'b' } } } }] },
    });
  });

  it('writes or as should with minimum_should_match 1', () => {
    expect(queryDsl({ or: [{ a: { eq: 1 } }, { b: { lte: 2 } }] })).toStrictEqual({
      bool: { should: [{ term: { a: 1 } }, { range: { b: { lte: 2 } } }], minimum_should_match: 1 },
    });
  });

  it('writes and as must and not as must_not', () => {
    expect(queryDsl({ and: [{ a: { eq: 1 } }], not: { b: { gte: 2 } } })).toStrictEqual({
      bool: { must: [{ bool: { must: [{ term: { a: 1 } }] } }, { bool: { must_not: { range: { b: { gte: 2 } } } } }] },
    });
  });

  it('gives null for an empty filter, and drops an empty not', () => {
    expect([queryDsl({}), queryDsl({ not: {} })]).toStrictEqual([null, null]);
  });

  it.each([
    [{ a: { like: 1 } }, "util.transform.toElasticsearchQueryDSL: unsupported operator 'like' on 'a'"],
    [{ a: { range: [1] } }, "util.transform.toElasticsearchQueryDSL: 'range' on 'a' expects [from, to]"],
    [{ a: { exists: 'no' } }, "util.transform.toElasticsearchQueryDSL: 'exists' on 'a' expects a boolean"],
    [{ a: 1 }, "util.transform.toElasticsearchQueryDSL: 'a' must map operators to values"],
    [{ or: [1] }, 'util.transform.toElasticsearchQueryDSL expects an object'],
  ])('rejects %p', (filter, message) => {
    expect(() => queryDsl(filter)).toThrow(new UtilArgumentError(message));
  });
});

describe('util.transform.toSubscriptionFilter', () => {
  it('puts the fields of one object in one filter group', () => {
    expect(subscriptionFilter({ severity: { ge: 7 }, priority: { in: ['high', 'medium'] } })).toStrictEqual({
      filterGroup: [{ filters: [
        { fieldName: 'severity', operator: 'ge', value: 7 },
        { fieldName: 'priority', operator: 'in', value: ['high', 'medium'] },
      ] }],
    });
  });

  it('makes one filter group per member of an or list', () => {
    const filter = {
      or: [
        { severity: { ge: 7 }, priority: { in: ['high', 'medium'] } },
        { category: { eq: 'security' }, group: { in: ['admin', 'operators'] } },
      ],
    };

    expect(subscriptionFilter(filter)).toStrictEqual({
      filterGroup: [
        { filters: [{ fieldName: 'severity', operator: 'ge', value: 7 }, { fieldName: 'priority', operator: 'in', value: ['high', 'medium'] }] },
        { filters: [{ fieldName: 'category', operator: 'eq', value: 'security' }, { fieldName: 'group', operator: 'in', value: ['admin', 'operators'] }] },
      ],
    });
  });

  it('distributes the other fields and an and list over the groups of an or', () => {
    const filter = { a: { eq: 1 }, or: [{ b: { eq: 2 } }, { c: { eq: 3 } }], and: [{ d: { ne: true } }] };

    expect(subscriptionFilter(filter)).toStrictEqual({
      filterGroup: [
        { filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'b', operator: 'eq', value: 2 }, { fieldName: 'd', operator: 'ne', value: true }] },
        { filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'c', operator: 'eq', value: 3 }, { fieldName: 'd', operator: 'ne', value: true }] },
      ],
    });
  });

  it('leaves out ignored fields at every level', () => {
    expect(subscriptionFilter({ a: { eq: 1 }, secret: { eq: 2 }, or: [{ secret: { eq: 3 }, b: { eq: 4 } }] }, ['secret'])).toStrictEqual({
      filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'b', operator: 'eq', value: 4 }] }],
    });
  });

  it('adds each rule to every group as an alternative, so one rule must hold', () => {
    const rules = { owner: { eq: 'u1' }, groups: { containsAny: ['admin'] } };

    expect(subscriptionFilter({ a: { eq: 1 } }, [], rules)).toStrictEqual({
      filterGroup: [
        { filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'owner', operator: 'eq', value: 'u1' }] },
        { filters: [{ fieldName: 'a', operator: 'eq', value: 1 }, { fieldName: 'groups', operator: 'containsAny', value: ['admin'] }] },
      ],
    });
  });

  it('accepts between, beginsWith, contains, notContains and notIn', () => {
    const filter = { a: { between: [1, 2], notIn: [3] }, b: { beginsWith: 'x', contains: 'y', notContains: 4 } };

    expect(subscriptionFilter(filter)).toStrictEqual({
      filterGroup: [{ filters: [
        { fieldName: 'a', operator: 'between', value: [1, 2] },
        { fieldName: 'a', operator: 'notIn', value: [3] },
        { fieldName: 'b', operator: 'beginsWith', value: 'x' },
        { fieldName: 'b', operator: 'contains', value: 'y' },
        { fieldName: 'b', operator: 'notContains', value: 4 },
      ] }],
    });
  });

  it('gives no filter group for an empty filter', () => {
    expect(subscriptionFilter({ a: undefined, b: { eq: undefined } }, null, null)).toStrictEqual({ filterGroup: [] });
  });

  it('rejects more than 10 filter groups', () => {
    const filter = { or: Array.from({ length: 11 }, (_, index) => ({ a: { eq: index } })) };

    expect(() => subscriptionFilter(filter)).toThrow(new UtilArgumentError('util.transform.toSubscriptionFilter: the filter makes 11 filter groups, more than the 10 AppSync allows'));
  });

  it('rejects more than 5 filters in a group', () => {
    const filter = Object.fromEntries(Array.from({ length: 6 }, (_, index) => [`f${index}`, { eq: index }]));

    expect(() => subscriptionFilter(filter)).toThrow('util.transform.toSubscriptionFilter: a filter group has 6 filters, more than the 5 AppSync allows');
  });

  it.each([
    [{ a: { in: [1, 2, 3, 4, 5, 6] } }, "operator 'in' on 'a' expects at most 5 values, got 6"],
    [{ a: { containsAny: Array.from({ length: 21 }, (_, index) => index) } }, "operator 'containsAny' on 'a' expects at most 20 values, got 21"],
    [{ a: { in: [{}] } }, "operator 'in' on 'a' expects a non-empty array of strings or numbers"],
    [{ a: { between: [1] } }, "operator 'between' on 'a' expects an array of two strings or numbers"],
    [{ a: { eq: {} } }, "operator 'eq' on 'a' expects a string, number or boolean"],
    [{ a: { gt: true } }, "operator 'gt' on 'a' expects a string or number"],
    [{ a: { beginsWith: 1 } }, "operator 'beginsWith' on 'a' expects a string"],
    [{ a: { like: 'x' } }, "unsupported operator 'like' on 'a'"],
    [{ a: 'x' }, "'a' must map operators to values"],
    ['a', 'expects an object'],
  ])('rejects %p', (filter, message) => {
    expect(() => subscriptionFilter(filter)).toThrow(`util.transform.toSubscriptionFilter${message.startsWith('expects') ? ' ' : ': '}${message}`);
  });

  it('rejects ignoredFields that are not a list of names', () => {
    expect(() => subscriptionFilter({}, [1])).toThrow('util.transform.toSubscriptionFilter: ignoredFields must be an array of field names');
  });

  it('rejects rules that are not an object', () => {
    expect(() => subscriptionFilter({}, [], 'owner')).toThrow('util.transform.toSubscriptionFilter: rules must be an object');
  });
});
