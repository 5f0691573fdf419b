// The @aws-appsync/utils/dynamodb module against "Amazon DynamoDB built-in module" and the request
// objects AppSync's EvaluateCode returns for the same calls.
import { describe, expect, it } from '@jest/globals';
import * as ddb from '../../../../../sandbox/appsync/runtime/module-utils-dynamodb.ts';
import { UtilArgumentError } from '../../../../../sandbox/appsync/runtime/state.ts';

type Loose = (payload: unknown) => unknown;
const loose = (helper: unknown): Loose => helper as Loose;

describe('operations', () => {
  it.each([
    ['add', ddb.operations.add(10), { type: 'OPERATION_ADD', value: 10 }],
    ['append', ddb.operations.append([1, 2, 3]), { type: 'OPERATION_APPEND', items: [1, 2, 3] }],
    ['decrement', ddb.operations.decrement(10), { type: 'OPERATION_DECREMENT', by: 10 }],
    ['increment', ddb.operations.increment(10), { type: 'OPERATION_INCREMENT', by: 10 }],
    ['prepend', ddb.operations.prepend([1, 2, 3]), { type: 'OPERATION_PREPEND', items: [1, 2, 3] }],
    ['replace', ddb.operations.replace({ a: 10 }), { type: 'OPERATION_REPLACE', value: { a: 10 } }],
  ])('%s builds the operation object AppSync builds', (_name, operation, expected) => {
    expect(operation).toStrictEqual(expected);
  });

  it('remove and updateListItem build operation objects of the same shape (shape not documented by AWS)', () => {
    expect([ddb.operations.remove(), ddb.operations.updateListItem('x', 2)]).toStrictEqual([
      { type: 'OPERATION_REMOVE' },
      { type: 'OPERATION_UPDATE_LIST_ITEM', value: 'x', index: 2 },
    ]);
  });

  it('increment and decrement default to 1', () => {
    expect([ddb.operations.increment(), ddb.operations.decrement()]).toStrictEqual([
      { type: 'OPERATION_INCREMENT', by: 1 }, { type: 'OPERATION_DECREMENT', by: 1 },
    ]);
  });

  it.each([
    [() => ddb.operations.increment('2'), 'operations.increment expects a number, got "2"'],
    [() => ddb.operations.append('x'), 'operations.append expects an array of items'],
    [() => ddb.operations.updateListItem('x', -1), 'operations.updateListItem expects a list index that is an integer of 0 or more'],
  ])('rejects a bad argument (%#)', (act, message) => {
    expect(act).toThrow(new UtilArgumentError(message));
  });
});

describe('get, put and remove', () => {
  it('get gives the request AppSync gives', () => {
    expect(ddb.get({ key: { id: 'id' } })).toStrictEqual({ operation: 'GetItem', key: { id: { S: 'id' } } });
  });

  it('get passes consistentRead and names projected attributes #projection_1.. (scheme not documented by AWS)', () => {
    const request = ddb.get({ key: { id: 1 }, consistentRead: true, projection: ['id', 'nested.object[1]', 'nested.id'] });

    expect(request).toStrictEqual({
      operation: 'GetItem',
      key: { id: { N: 1 } },
      consistentRead: true,
      projection: {
        expression: '#projection_1, #projection_2.#projection_3[1], #projection_2.#projection_1',
        expressionNames: { '#projection_1': 'id', '#projection_2': 'nested', '#projection_3': 'object' },
      },
    });
  });

  it('get rejects a projection that is not a list of attribute paths', () => {
    expect(() => loose(ddb.get)({ key: { id: 1 }, projection: 'id' })).toThrow('get: projection must be a non-empty array of attribute paths');
  });

  it('get rejects a malformed projection path', () => {
    expect(() => ddb.get({ key: { id: 1 }, projection: ['a..b'] })).toThrow("get: projection path 'a..b' is not an attribute path");
  });

  it('get rejects a missing key', () => {
    expect(() => loose(ddb.get)({})).toThrow(new UtilArgumentError('get: `key` must be an object'));
  });

  it('get rejects a payload that is not an object', () => {
    expect(() => loose(ddb.get)('id')).toThrow('get expects an object');
  });

  it('put gives the request AppSync gives', () => {
    expect(loose(ddb.put)({ key: { id: 'abc' }, item: { value: 10 } })).toStrictEqual({
      operation: 'PutItem', key: { id: { S: 'abc' } }, attributeValues: { value: { N: 10 } },
    });
  });

  it('put adds the condition expression and the versioning options', () => {
    const request = loose(ddb.put)({
      key: { id: 'a' }, item: { owner: 'u' }, condition: { owner: { eq: 'u' } },
      customPartitionKey: 'pk', populateIndexFields: true, _version: 3,
    });

    expect(request).toStrictEqual({
      operation: 'PutItem',
      key: { id: { S: 'a' } },
      attributeValues: { owner: { S: 'u' } },
      condition: { expression: '(#owner = :owner_eq)', expressionNames: { '#owner': 'owner' }, expressionValues: { ':owner_eq': { S: 'u' } } },
      customPartitionKey: 'pk',
      populateIndexFields: true,
      _version: 3,
    });
  });

  it('remove gives the request AppSync gives', () => {
    expect(ddb.remove({ key: { id: 'test' } })).toStrictEqual({ operation: 'DeleteItem', key: { id: { S: 'test' } } });
  });

  it('remove leaves out the empty value map of an attribute_not_exists condition', () => {
    expect(ddb.remove({ key: { id: 'x' }, condition: { id: { attributeExists: true } } })).toStrictEqual({
      operation: 'DeleteItem', key: { id: { S: 'x' } },
      condition: { expression: '(attribute_exists(#id))', expressionNames: { '#id': 'id' } },
    });
  });

  it('remove leaves out a condition with no term', () => {
    expect(ddb.remove({ key: { id: 'x' }, condition: {} })).toStrictEqual({ operation: 'DeleteItem', key: { id: { S: 'x' } } });
  });
});

describe('update', () => {
  const expected = (expression: string, value: unknown): unknown => ({
    operation: 'UpdateItem',
    key: { id: { S: 'test' } },
    update: { expression, expressionNames: { '#expName_1': 'age' }, expressionValues: { ':expValue_1': value } },
  });

  it.each([
    ['add', ddb.operations.add(10), 'SET #expName_1 = :expValue_1', { N: 10 }],
    ['replace', ddb.operations.replace({ a: 10 }), 'SET #expName_1 = :expValue_1', { M: { a: { N: 10 } } }],
    ['increment', ddb.operations.increment(10), 'SET #expName_1 = #expName_1 + :expValue_1', { N: 10 }],
    ['decrement', ddb.operations.decrement(10), 'SET #expName_1 = #expName_1 - :expValue_1', { N: 10 }],
    ['append', ddb.operations.append([1, 2, 3]), 'SET #expName_1 = list_append(#expName_1, :expValue_1)', { L: [{ N: 1 }, { N: 2 }, { N: 3 }] }],
    ['prepend', ddb.operations.prepend([1, 2, 3]), 'SET #expName_1 = list_append(:expValue_1, #expName_1)', { L: [{ N: 1 }, { N: 2 }, { N: 3 }] }],
  ])('%s gives the update expression AppSync gives', (_name, operation, expression, value) => {
    expect(ddb.update({ key: { id: 'test' }, update: { age: operation } })).toStrictEqual(expected(expression, value));
  });

  it('joins SET actions with commas and puts REMOVE after them (joining not documented by AWS)', () => {
    const request = ddb.update({ key: { id: 1 }, update: { a: 1, b: ddb.operations.remove(), c: null } });

    expect(request.update).toStrictEqual({
      expression: 'SET #expName_1 = :expValue_1, #expName_3 = :expValue_2 REMOVE #expName_2',
      expressionNames: { '#expName_1': 'a', '#expName_2': 'b', '#expName_3': 'c' },
      expressionValues: { ':expValue_1': { N: 1 }, ':expValue_2': { NULL: null } },
    });
  });

  it('updates only the named members of a plain object, by document path', () => {
    const request = ddb.update({ key: { id: 1 }, update: { address: { city: 'Paris', zip: undefined } } });

    expect(request.update).toStrictEqual({
      expression: 'SET #expName_1.#expName_2 = :expValue_1',
      expressionNames: { '#expName_1': 'address', '#expName_2': 'city' },
      expressionValues: { ':expValue_1': { S: 'Paris' } },
    });
  });

  it('sets list items by index with updateListItem', () => {
    const update = { friendsIds: [ddb.operations.updateListItem('102', 1), ddb.operations.updateListItem('112', 2)] };

    expect(ddb.update({ key: { id: 1 }, update }).update).toStrictEqual({
      expression: 'SET #expName_1[1] = :expValue_1, #expName_1[2] = :expValue_2',
      expressionNames: { '#expName_1': 'friendsIds' },
      expressionValues: { ':expValue_1': { S: '102' }, ':expValue_2': { S: '112' } },
    });
  });

  it('leaves out the value map of a REMOVE-only update', () => {
    expect(ddb.update({ key: { id: 1 }, update: { a: ddb.operations.remove() } }).update).toStrictEqual({
      expression: 'REMOVE #expName_1', expressionNames: { '#expName_1': 'a' },
    });
  });

  it('adds the condition', () => {
    const request = ddb.update({ key: { id: 1 }, update: { a: true }, condition: { v: { eq: 1 } } });

    expect(request.condition).toStrictEqual({ expression: '(#v = :v_eq)', expressionNames: { '#v': 'v' }, expressionValues: { ':v_eq': { N: 1 } } });
  });

  it.each([
    [{ key: { id: 1 }, update: {} }, 'update: the update object changes no attribute'],
    [{ key: { id: 1 }, update: { a: undefined } }, 'update: the update object changes no attribute'],
    [{ key: { id: 1 }, update: 'a' }, 'update: `update` must be an object of attributes'],
    [{ key: { id: 1 }, update: { a: {} } }, "update: 'a' is an object with no member to update"],
    [{ key: { id: 1 }, update: { a: [ddb.operations.updateListItem(1, 0), ddb.operations.remove()] } }, 'update: a list of operations may hold only operations.updateListItem'],
  ])('rejects %p', (payload, message) => {
    expect(() => loose(ddb.update)(payload)).toThrow(new UtilArgumentError(message));
  });
});

describe('query, scan and sync', () => {
  it('query writes the key condition without parentheses, joined by AND (format not documented by AWS)', () => {
    const request = ddb.query({ query: { id: { eq: 'a' }, sk: { beginsWith: 'x#' } }, index: 'byId', limit: 5, scanIndexForward: false, nextToken: null });

    expect(request).toStrictEqual({
      operation: 'Query',
      query: {
        expression: '#id = :id_eq AND begins_with(#sk,:sk_beginsWith)',
        expressionNames: { '#id': 'id', '#sk': 'sk' },
        expressionValues: { ':id_eq': { S: 'a' }, ':sk_beginsWith': { S: 'x#' } },
      },
      index: 'byId',
      limit: 5,
      scanIndexForward: false,
    });
  });

  it('query adds filter, select, consistentRead and projection', () => {
    const request = loose(ddb.query)({ query: { id: { eq: 1 } }, filter: { done: { eq: false } }, select: 'ALL_ATTRIBUTES', consistentRead: true, projection: ['id'] });

    expect(request).toMatchObject({
      select: 'ALL_ATTRIBUTES',
      consistentRead: true,
      filter: { expression: '(#done = :done_eq)', expressionNames: { '#done': 'done' }, expressionValues: { ':done_eq': { BOOL: false } } },
      projection: { expression: '#projection_1', expressionNames: { '#projection_1': 'id' } },
    });
  });

  it('query rejects or, not and operators a key condition cannot hold', () => {
    expect(() => loose(ddb.query)({ query: { id: { contains: 'a' } } })).toThrow("query query: unsupported operator 'contains' on 'id'");
  });

  it('query rejects an empty key condition', () => {
    expect(() => loose(ddb.query)({ query: {} })).toThrow('query: `query` must hold a condition on the partition key');
  });

  it('scan gives the request AppSync gives', () => {
    expect(ddb.scan({ limit: 10, nextToken: 'abc' })).toStrictEqual({ operation: 'Scan', limit: 10, nextToken: 'abc' });
  });

  it('scan passes segments and builds the filter', () => {
    expect(ddb.scan({ totalSegments: 2, segment: 1, filter: { n: { gt: 1 } } })).toStrictEqual({
      operation: 'Scan', totalSegments: 2, segment: 1,
      filter: { expression: '(#n > :n_gt)', expressionNames: { '#n': 'n' }, expressionValues: { ':n_gt': { N: 1 } } },
    });
  });

  it('sync passes its options and builds the filter', () => {
    const request = ddb.sync({ limit: 10, nextToken: 'abc', lastSync: 1, basePartitionKey: 'pk', deltaIndexName: 'delta', filter: { a: { eq: 1 } } });

    expect(request).toStrictEqual({
      operation: 'Sync', limit: 10, nextToken: 'abc', lastSync: 1, basePartitionKey: 'pk', deltaIndexName: 'delta',
      filter: { expression: '(#a = :a_eq)', expressionNames: { '#a': 'a' }, expressionValues: { ':a_eq': { N: 1 } } },
    });
  });
});

describe('batch and transaction helpers', () => {
  it('batchGet converts the keys of each table', () => {
    const request = ddb.batchGet({ tables: { post: { keys: [{ id: '1' }, { id: '2' }], consistentRead: false, projection: ['id'] } } });

    expect(request).toStrictEqual({
      operation: 'BatchGetItem',
      tables: { post: { keys: [{ id: { S: '1' } }, { id: { S: '2' } }], consistentRead: false, projection: { expression: '#projection_1', expressionNames: { '#projection_1': 'id' } } } },
    });
  });

  it('batchPut converts the items of each table', () => {
    expect(ddb.batchPut({ tables: { post: [{ id: 'one', value: 'x' }], comment: [{ id: 'one' }] } })).toStrictEqual({
      operation: 'BatchPutItem',
      tables: { post: [{ id: { S: 'one' }, value: { S: 'x' } }], comment: [{ id: { S: 'one' } }] },
    });
  });

  it('batchDelete converts the keys of each table', () => {
    expect(ddb.batchDelete({ tables: { post: [{ id: 'one' }] } })).toStrictEqual({ operation: 'BatchDeleteItem', tables: { post: [{ id: { S: 'one' } }] } });
  });

  it.each([
    [ddb.batchGet, { tables: {} }, 'batchGet: `tables` must map at least one table name to its requests'],
    [ddb.batchPut, { tables: { post: {} } }, "batchPut: table 'post' must be given an array"],
    [ddb.batchDelete, { tables: { post: ['id'] } }, 'batchDelete: `tables.post[]` must be an object'],
  ])('rejects a malformed batch (%#)', (helper, payload, message) => {
    expect(() => loose(helper)(payload)).toThrow(new UtilArgumentError(message));
  });

  it('transactGet lists each table, key and projection', () => {
    const request = ddb.transactGet({ items: [{ table: 'post', key: { id: '1' }, projection: ['name'] }, { table: 'post', key: { id: '2' } }] });

    expect(request).toStrictEqual({
      operation: 'TransactGetItems',
      transactItems: [
        { table: 'post', key: { id: { S: '1' } }, projection: { expression: '#projection_1', expressionNames: { '#projection_1': 'name' } } },
        { table: 'post', key: { id: { S: '2' } } },
      ],
    });
  });

  it('transactWrite turns each kind of item into its DynamoDB operation', () => {
    const request = ddb.transactWrite({
      items: [
        { putItem: { table: 'post', key: { id: '1' }, item: { title: 't' } } },
        { deleteItem: { table: 'post', key: { id: '2' } } },
        { updateItem: { table: 'post', key: { id: '3' }, update: { n: ddb.operations.increment(1) } } },
        { conditionCheck: { table: 'post', key: { id: '4' }, condition: { id: { attributeExists: true } } } },
      ],
    });

    expect(request.transactItems).toStrictEqual([
      { table: 'post', operation: 'PutItem', key: { id: { S: '1' } }, attributeValues: { title: { S: 't' } } },
      { table: 'post', operation: 'DeleteItem', key: { id: { S: '2' } } },
      {
        table: 'post', operation: 'UpdateItem', key: { id: { S: '3' } },
        update: { expression: 'SET #expName_1 = #expName_1 + :expValue_1', expressionNames: { '#expName_1': 'n' }, expressionValues: { ':expValue_1': { N: 1 } } },
      },
      { table: 'post', operation: 'ConditionCheck', key: { id: { S: '4' } }, condition: { expression: '(attribute_exists(#id))', expressionNames: { '#id': 'id' } } },
    ]);
  });

  it.each([
    [ddb.transactGet, { items: [] }, 'transactGet: `items` must be a non-empty array'],
    [ddb.transactGet, { items: [{ key: { id: 1 } }] }, 'transactGet: each item needs a `table` name'],
    [ddb.transactWrite, { items: [{ putItem: {}, deleteItem: {} }] }, 'transactWrite: each item must be exactly one of putItem, updateItem, deleteItem, conditionCheck'],
    [ddb.transactWrite, { items: ['x'] }, 'transactWrite: each item must be exactly one of putItem, updateItem, deleteItem, conditionCheck'],
    [ddb.transactWrite, { items: [{ conditionCheck: { table: 't', key: { id: 1 } } }] }, 'transactWrite conditionCheck: `condition` must hold at least one condition'],
  ])('rejects a malformed transaction (%#)', (helper, payload, message) => {
    expect(() => loose(helper)(payload)).toThrow(new UtilArgumentError(message));
  });
});

describe('set helpers', () => {
  it('toStringSet gives the documented string set', () => {
    expect(ddb.toStringSet(['a', 'b', 'c'])).toStrictEqual({ SS: ['a', 'b', 'c'] });
  });

  it('toNumberSet writes the numbers as strings, as its typings document', () => {
    expect(ddb.toNumberSet([1, 2, 3])).toStrictEqual({ NS: ['1', '2', '3'] });
  });

  it('toBinarySet gives the documented binary set', () => {
    expect(ddb.toBinarySet(['SGVsbG8=', 'V29ybGQ='])).toStrictEqual({ BS: ['SGVsbG8=', 'V29ybGQ='] });
  });

  it.each([
    [ddb.toStringSet, [1], 'toStringSet expects an array of strings'],
    [ddb.toNumberSet, [Number.NaN], 'toNumberSet expects an array of finite numbers'],
    [ddb.toBinarySet, 'x', 'toBinarySet expects an array of base64 strings'],
  ])('rejects values of the wrong type (%#)', (helper, values, message) => {
    expect(() => loose(helper)(values)).toThrow(new UtilArgumentError(message));
  });
});
