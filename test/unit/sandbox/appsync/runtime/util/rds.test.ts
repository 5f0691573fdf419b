// util.rds.toJsonObject against the example of AppSync's "Amazon RDS helpers in util.rds".
import { describe, expect, it } from '@jest/globals';
import { newEvaluationState } from '../../../../../../sandbox/appsync/runtime/state.ts';
import { createUtil } from '../../../../../../sandbox/appsync/runtime/util/index.ts';

const { rds } = createUtil(newEvaluationState());

function column(name: string): Record<string, unknown> {
  return { isSigned: false, isCurrency: false, label: name, precision: 200, typeName: 'VARCHAR', scale: 0, isAutoIncrement: false,
    isCaseSensitive: false, schemaName: '', tableName: 'Books', type: 12, nullable: 0, arrayBaseColumnType: 0, name };
}

// The raw Data API result of `select * from Books limit 2` in the documentation.
const BOOKS = {
  sqlStatementResults: [{
    numberOfRecordsUpdated: 0,
    records: [
      [{ stringValue: 'Mark Twain' }, { stringValue: 'Adventures of Huckleberry Finn' }, { stringValue: '978-1948132817' }],
      [{ stringValue: 'Jack London' }, { stringValue: 'The Call of the Wild' }, { stringValue: '978-1948132275' }],
    ],
    columnMetadata: [column('author'), column('title'), column('ISBN-13')],
  }],
};

const DOCUMENTED_RECORDS = [
  { author: 'Mark Twain', title: 'Adventures of Huckleberry Finn', 'ISBN-13': '978-1948132817' },
  { author: 'Jack London', title: 'The Call of the Wild', 'ISBN-13': '978-1948132275' },
];

describe('util.rds.toJsonObject', () => {
  it('gives the documented records for the statement, one list per statement', () => {
    expect(rds.toJsonObject(JSON.stringify(BOOKS))).toEqual([DOCUMENTED_RECORDS]);
  });

  it('takes the result as an object as well as serialized', () => {
    expect(rds.toJsonObject(BOOKS as never)).toEqual([DOCUMENTED_RECORDS]);
  });

  it('gives an empty list for a statement without records, such as an INSERT', () => {
    const result = { sqlStatementResults: [{ numberOfRecordsUpdated: 1 }, BOOKS.sqlStatementResults[0]] };

    expect(rds.toJsonObject(JSON.stringify(result))).toEqual([[], DOCUMENTED_RECORDS]);
  });

  it('unwraps numbers, booleans, nulls and arrays', () => {
    const result = { sqlStatementResults: [{
      records: [[{ longValue: 7 }, { booleanValue: true }, { isNull: true }, { arrayValue: { stringValues: ['a', 'b'] } },
        { arrayValue: { arrayValues: [{ longValues: [1] }, {}] } }, {}]],
      columnMetadata: [{ name: 'n' }, { name: 'b' }, { name: 'z' }, { name: 'tags' }, { name: 'grid' }, { label: 'empty' }],
    }] };

    expect(rds.toJsonObject(JSON.stringify(result))).toEqual([[{ n: 7, b: true, z: null, tags: ['a', 'b'], grid: [[1], []], empty: null }]]);
  });

  it('keys a column by its label, the alias a query gave it', () => {
    const result = { sqlStatementResults: [{ records: [[{ longValue: 3 }, { longValue: 4 }]], columnMetadata: [{ name: 'count(*)', label: 'total' }] }] };

    expect(rds.toJsonObject(JSON.stringify(result))).toEqual([[{ total: 3, column2: 4 }]]);
  });

  it('rejects text that is not JSON', () => {
    expect(() => rds.toJsonObject('{nope')).toThrow('util.rds.toJsonObject: the argument is not valid JSON');
  });

  it('rejects a result without sqlStatementResults', () => {
    expect(() => rds.toJsonObject('{}')).toThrow('util.rds.toJsonObject: the argument has no sqlStatementResults list');
  });
});
