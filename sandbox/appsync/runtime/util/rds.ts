// util.rds.toJsonObject: an RDS Data API ExecuteStatement result as plain records, one list per
// SQL statement, keyed by column label (the alias if any, else the name).
// AWS AppSync docs, "Amazon RDS helpers in util.rds".
import type { Util } from '@aws-appsync/utils';
import { UtilArgumentError } from '../state.ts';

type Field = Record<string, unknown>;

interface StatementResult {
  records?: Field[][];
  columnMetadata?: { name?: string; label?: string }[];
}

/** The value of one Data API Field ({ stringValue }, { longValue }, { isNull: true }, { arrayValue }, ...). */
function fieldValue(field: Field): unknown {
  if (field.isNull === true) return null;
  const [key, value] = Object.entries(field).find(([name]) => name !== 'isNull') ?? [];
  if (key === undefined) return null;
  if (key === 'arrayValue') return arrayValue(value as Field);
  return value;
}

/** An ArrayValue holds one of stringValues, longValues, ... or arrayValues (nested arrays). */
function arrayValue(array: Field): unknown[] {
  const [key, values] = Object.entries(array)[0] ?? [];
  if (!Array.isArray(values)) return [];
  return key === 'arrayValues' ? values.map((inner) => arrayValue(inner as Field)) : values;
}

function statementRecords(statement: StatementResult): Record<string, unknown>[] {
  const columns = statement.columnMetadata ?? [];
  return (statement.records ?? []).map((record) =>
    Object.fromEntries(record.map((field, index) => [columns[index]?.label ?? columns[index]?.name ?? `column${index + 1}`, fieldValue(field)])),
  );
}

function toJsonObject(serializedSQLResult: unknown): Record<string, unknown>[][] {
  let result: unknown = serializedSQLResult;
  if (typeof result === 'string') {
    try {
      result = JSON.parse(result);
    } catch {
      throw new UtilArgumentError('util.rds.toJsonObject: the argument is not valid JSON');
    }
  }
  const statements = (result as { sqlStatementResults?: unknown } | null)?.sqlStatementResults;
  if (!Array.isArray(statements)) throw new UtilArgumentError('util.rds.toJsonObject: the argument has no sqlStatementResults list');
  return statements.map((statement) => statementRecords(statement as StatementResult));
}

export const rdsUtil: Util['rds'] = {
  toJsonObject,
};
