// Filter, condition and key-condition objects ({ title: { contains: 'x' } }) to DynamoDB expressions;
// shared by util.transform and the @aws-appsync/utils/dynamodb module.
// Naming follows "Transformation helpers in util.transform": #title, :title_contains; operands
// under and/or/not carry their path (:or_0_title_eq), as AppSync's VTL transformer does.
import { UtilArgumentError } from '../state.ts';
import { isPlainObject, toAttributeValue, type AttributeValue } from '../util/attribute-values.ts';

export interface DynamoDBExpressionParts {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

interface Fragment {
  terms: string[];
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

interface BuildOptions {
  /** Names the calling function in error messages. */
  caller: string;
  /** AppSync parenthesises each comparison of a filter or condition, but not of a key condition. */
  wrapComparisons: boolean;
  /** Operators a field accepts; and/or/not are allowed only when `combinators` is true. */
  operators: ReadonlySet<string>;
  combinators: boolean;
}

const COMPARATORS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FUNCTIONS: Record<string, string> = { contains: 'contains', notContains: 'NOT contains', beginsWith: 'begins_with' };
const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL', string: 'S', stringSet: 'SS', number: 'N', numberSet: 'NS',
  binary: 'B', binarySet: 'BS', boolean: 'BOOL', list: 'L', map: 'M',
};

const FILTER_OPERATORS: ReadonlySet<string> = new Set([
  ...Object.keys(COMPARATORS), ...Object.keys(FUNCTIONS), 'between', 'in', 'attributeExists', 'attributeType',
]);
const KEY_OPERATORS: ReadonlySet<string> = new Set([...Object.keys(COMPARATORS), 'between', 'beginsWith']);

const EMPTY: Fragment = { terms: [], names: {}, values: {} };

function merge(left: Fragment, right: Fragment, joiner: 'AND' | 'OR'): Fragment {
  if (right.terms.length === 0) return left;
  return {
    terms: left.terms.length === 0 ? right.terms : [...left.terms, joiner, ...right.terms],
    names: { ...left.names, ...right.names },
    values: { ...left.values, ...right.values },
  };
}

/** Several terms become one parenthesised term, so an enclosing AND/OR/NOT binds to all of them. */
function scope(fragment: Fragment): Fragment {
  return fragment.terms.length > 1 ? { ...fragment, terms: [`(${fragment.terms.join(' ')})`] } : fragment;
}

function path(...parts: (string | number | null)[]): string | null {
  const present = parts.filter((part) => part !== null && part !== '');
  return present.length === 0 ? null : present.join('_');
}

function comparison(field: string, operator: string, operand: unknown, prefix: string | null, options: BuildOptions): Fragment {
  const name = `#${field}`;
  const valueName = (suffix: string): string => `:${path(prefix, field, suffix) ?? ''}`;
  const fail = (expected: string): never => {
    throw new UtilArgumentError(`${options.caller}: operator '${operator}' on '${field}' expects ${expected}`);
  };
  const leaf = (term: string, values: Record<string, AttributeValue> = {}): Fragment => ({
    terms: [options.wrapComparisons ? `(${term})` : term],
    names: { [name]: field },
    values,
  });
  const single = (term: (value: string) => string): Fragment => {
    const value = valueName(operator);
    return leaf(term(value), { [value]: toAttributeValue(operand) });
  };

  const symbol = COMPARATORS[operator];
  if (symbol !== undefined) return single((value) => `${name} ${symbol} ${value}`);
  const fn = FUNCTIONS[operator];
  if (fn !== undefined) return single((value) => `${fn}(${name},${value})`);
  switch (operator) {
    case 'between': {
      if (!Array.isArray(operand) || operand.length !== 2) return fail('an array of two values');
      const [low, high] = [valueName('between_1'), valueName('between_2')];
      return leaf(`${name} BETWEEN ${low} AND ${high}`, {
        [low]: toAttributeValue(operand[0]),
        [high]: toAttributeValue(operand[1]),
      });
    }
    case 'in': {
      if (!Array.isArray(operand) || operand.length === 0) return fail('a non-empty array');
      const values: Record<string, AttributeValue> = {};
      operand.forEach((item, index) => (values[valueName(`in_${index}`)] = toAttributeValue(item)));
      return leaf(`${name} IN (${Object.keys(values).join(',')})`, values);
    }
    case 'attributeExists':
      if (typeof operand !== 'boolean') return fail('a boolean');
      return leaf(`${operand ? 'attribute_exists' : 'attribute_not_exists'}(${name})`);
    default: {
      const type = typeof operand === 'string' ? ATTRIBUTE_TYPES[operand] : undefined;
      if (type === undefined) return fail(`one of ${Object.keys(ATTRIBUTE_TYPES).join(', ')}`);
      const value = valueName(operator);
      return leaf(`attribute_type(${name},${value})`, { [value]: { S: type } });
    }
  }
}

function fieldFragment(field: string, operations: unknown, prefix: string | null, options: BuildOptions): Fragment {
  if (!isPlainObject(operations)) {
    throw new UtilArgumentError(`${options.caller}: '${field}' must map operators to values, e.g. { "eq": 1 }`);
  }
  let result = EMPTY;
  for (const [operator, operand] of Object.entries(operations)) {
    if (operand === undefined) continue;
    if (!options.operators.has(operator)) {
      throw new UtilArgumentError(`${options.caller}: unsupported operator '${operator}' on '${field}'`);
    }
    result = merge(result, comparison(field, operator, operand, prefix, options), 'AND');
  }
  return scope(result);
}

function objectFragment(filter: unknown, prefix: string | null, options: BuildOptions): Fragment {
  if (!isPlainObject(filter)) throw new UtilArgumentError(`${options.caller} expects an object`);
  let result = EMPTY;
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    const combinator = options.combinators && (key === 'and' || key === 'or' || key === 'not');
    if (!combinator) {
      result = merge(result, fieldFragment(key, value, prefix, options), 'AND');
    } else if (key === 'not') {
      const negated = scope(objectFragment(value, path(prefix, key), options));
      result = merge(result, { ...negated, terms: negated.terms.length === 0 ? [] : ['NOT', ...negated.terms] }, 'AND');
    } else if (Array.isArray(value)) {
      const joiner = key === 'or' ? 'OR' : 'AND';
      const joined = value.reduce<Fragment>(
        (sum, part, index) => merge(sum, objectFragment(part, path(prefix, key, index), options), joiner),
        EMPTY,
      );
      result = merge(result, scope(joined), 'AND');
    } else {
      result = merge(result, objectFragment(value, path(prefix, key), options), 'AND');
    }
  }
  return result;
}

function finish(fragment: Fragment): DynamoDBExpressionParts {
  return { expression: fragment.terms.join(' '), expressionNames: fragment.names, expressionValues: fragment.values };
}

/** util.transform.toDynamoDBFilterExpression / toDynamoDBConditionExpression, and the module's filter and condition. */
export function buildConditionExpression(filter: unknown, caller: string): DynamoDBExpressionParts {
  return finish(objectFragment(filter, null, { caller, wrapComparisons: true, operators: FILTER_OPERATORS, combinators: true }));
}

/** The module's query: a key condition, so only comparisons, between and beginsWith, joined by AND. */
export function buildKeyConditionExpression(query: unknown, caller: string): DynamoDBExpressionParts {
  return finish(objectFragment(query, null, { caller, wrapComparisons: false, operators: KEY_OPERATORS, combinators: false }));
}
