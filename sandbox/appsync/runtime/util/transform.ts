// util.transform of the APPSYNC_JS runtime: filter objects to DynamoDB expressions, OpenSearch
// Query DSL and enhanced subscription filters ("Transformation helpers in util.transform").
import type { SubscriptionFilter, SubscriptionFilterEntry } from '@aws-appsync/utils/lib/subscription-filter-types.js';
import type { TransformUtils } from '@aws-appsync/utils/lib/transform-utils.js';
import { buildConditionExpression } from '../expression-builders/condition-expression.ts';
import { UtilArgumentError } from '../state.ts';
import { isPlainObject } from './attribute-values.ts';

// ---- OpenSearch Query DSL ----

type Query = Record<string, unknown>;

const OPENSEARCH_QUERIES: Record<string, string> = {
  match: 'match', matchPhrase: 'match_phrase', matchPhrasePrefix: 'match_phrase_prefix',
  multiMatch: 'multi_match', wildcard: 'wildcard', regexp: 'regexp',
};
const OPENSEARCH_RANGES: ReadonlySet<string> = new Set(['gt', 'gte', 'lt', 'lte']);

/** Several clauses of one object are ANDed; a single clause stands alone, as in AWS's example. */
function allOf(clauses: Query[]): Query | null {
  if (clauses.length === 0) return null;
  return clauses.length === 1 ? (clauses[0] as Query) : { bool: { must: clauses } };
}

function fieldQueries(field: string, conditions: unknown): Query[] {
  const caller = 'util.transform.toElasticsearchQueryDSL';
  if (!isPlainObject(conditions)) throw new UtilArgumentError(`${caller}: '${field}' must map operators to values`);
  return Object.entries(conditions).map(([operator, value]): Query => {
    const query = OPENSEARCH_QUERIES[operator];
    if (query !== undefined) return { [query]: { [field]: value } };
    if (OPENSEARCH_RANGES.has(operator)) return { range: { [field]: { [operator]: value } } };
    switch (operator) {
      case 'eq':
        return { term: { [field]: value } };
      case 'ne':
        return { bool: { must_not: { term: { [field]: value } } } };
      case 'range':
        if (!Array.isArray(value) || value.length !== 2) throw new UtilArgumentError(`${caller}: 'range' on '${field}' expects [from, to]`);
        return { range: { [field]: { gte: value[0] as unknown, lte: value[1] as unknown } } };
      case 'exists': {
        if (typeof value !== 'boolean') throw new UtilArgumentError(`${caller}: 'exists' on '${field}' expects a boolean`);
        const exists = { exists: { field } };
        return value ? exists : { bool: { must_not: exists } };
      }
      default:
        throw new UtilArgumentError(`${caller}: unsupported operator '${operator}' on '${field}'`);
    }
  });
}

function openSearchClauses(filter: unknown): Query[] {
  if (!isPlainObject(filter)) throw new UtilArgumentError('util.transform.toElasticsearchQueryDSL expects an object');
  const clauses: Query[] = [];
  for (const [key, value] of Object.entries(filter)) {
    let clause: Query | null;
    if (key === 'and' || key === 'or') {
      const parts = (Array.isArray(value) ? value : [value]).map((part) => allOf(openSearchClauses(part))).filter((part) => part !== null);
      clause = key === 'and' ? { bool: { must: parts } } : { bool: { should: parts, minimum_should_match: 1 } };
    } else if (key === 'not') {
      const negated = allOf(openSearchClauses(value));
      clause = negated === null ? null : { bool: { must_not: negated } };
    } else {
      clause = allOf(fieldQueries(key, value));
    }
    if (clause !== null) clauses.push(clause);
  }
  return clauses;
}

// ---- Enhanced subscription filters ----

/** Limits from "Enhanced subscription filtering" (AppSync rejects filters beyond them). */
export const SUBSCRIPTION_FILTER_LIMITS = { groups: 10, filtersPerGroup: 5, inValues: 5, containsAnyValues: 20 } as const;

type Scalar = string | number;
const isScalar = (value: unknown): value is Scalar => typeof value === 'string' || typeof value === 'number';

function subscriptionEntry(fieldName: string, operator: string, value: unknown): SubscriptionFilterEntry {
  const fail = (expected: string): never => {
    throw new UtilArgumentError(`util.transform.toSubscriptionFilter: operator '${operator}' on '${fieldName}' expects ${expected}`);
  };
  const scalars = (limit: number): Scalar[] => {
    if (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)) return fail('a non-empty array of strings or numbers');
    if (value.length > limit) return fail(`at most ${limit} values, got ${value.length}`);
    return value;
  };
  switch (operator) {
    case 'eq':
    case 'ne':
      return isScalar(value) || typeof value === 'boolean' ? { fieldName, operator, value } : fail('a string, number or boolean');
    case 'le':
    case 'lt':
    case 'ge':
    case 'gt':
    case 'contains':
    case 'notContains':
      return isScalar(value) ? { fieldName, operator, value } : fail('a string or number');
    case 'beginsWith':
      return typeof value === 'string' ? { fieldName, operator, value } : fail('a string');
    case 'in':
    case 'notIn':
      return { fieldName, operator, value: scalars(SUBSCRIPTION_FILTER_LIMITS.inValues) };
    case 'containsAny':
      // containsAny is in AppSync's operator list but not in the typings' operator union.
      return { fieldName, operator, value: scalars(SUBSCRIPTION_FILTER_LIMITS.containsAnyValues) } as unknown as SubscriptionFilterEntry;
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2 || !value.every(isScalar)) return fail('an array of two strings or numbers');
      return { fieldName, operator, value: [value[0] as Scalar, value[1] as Scalar] };
    }
    default:
      throw new UtilArgumentError(`util.transform.toSubscriptionFilter: unsupported operator '${operator}' on '${fieldName}'`);
  }
}

function fieldEntries(fieldName: string, conditions: unknown): SubscriptionFilterEntry[] {
  if (!isPlainObject(conditions)) {
    throw new UtilArgumentError(`util.transform.toSubscriptionFilter: '${fieldName}' must map operators to values`);
  }
  return Object.entries(conditions)
    .filter(([, value]) => value !== undefined)
    .map(([operator, value]) => subscriptionEntry(fieldName, operator, value));
}

/** Every combination of one alternative from each side (AND distributed over OR). */
function cross(left: SubscriptionFilterEntry[][], right: SubscriptionFilterEntry[][]): SubscriptionFilterEntry[][] {
  return left.flatMap((group) => right.map((other) => [...group, ...other]));
}

/** The filter object as OR-ed groups of AND-ed filters: each group is one filterGroup entry. */
function alternatives(filter: unknown, ignored: ReadonlySet<string>): SubscriptionFilterEntry[][] {
  if (!isPlainObject(filter)) throw new UtilArgumentError('util.transform.toSubscriptionFilter expects an object');
  let groups: SubscriptionFilterEntry[][] = [[]];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || ignored.has(key)) continue;
    if (key === 'and' || key === 'or') {
      const parts = (Array.isArray(value) ? value : [value]).map((part) => alternatives(part, ignored));
      groups = key === 'and' ? parts.reduce(cross, groups) : cross(groups, parts.flat());
    } else {
      const entries = fieldEntries(key, value);
      groups = groups.map((group) => [...group, ...entries]);
    }
  }
  return groups;
}

function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter {
  if (ignoredFields !== undefined && ignoredFields !== null && (!Array.isArray(ignoredFields) || !ignoredFields.every((field) => typeof field === 'string'))) {
    throw new UtilArgumentError('util.transform.toSubscriptionFilter: ignoredFields must be an array of field names');
  }
  let groups = alternatives(filter, new Set(ignoredFields ?? []));
  if (rules !== undefined && rules !== null) {
    if (!isPlainObject(rules)) throw new UtilArgumentError('util.transform.toSubscriptionFilter: rules must be an object');
    // "at least one of the rules will be satisfied": each rule joins every group as an alternative.
    const ruleEntries = Object.entries(rules).flatMap(([field, conditions]) => fieldEntries(field, conditions));
    if (ruleEntries.length > 0) groups = cross(groups, ruleEntries.map((entry) => [entry]));
  }
  groups = groups.filter((group) => group.length > 0);
  const { groups: maxGroups, filtersPerGroup } = SUBSCRIPTION_FILTER_LIMITS;
  if (groups.length > maxGroups) {
    throw new UtilArgumentError(`util.transform.toSubscriptionFilter: the filter makes ${groups.length} filter groups, more than the ${maxGroups} AppSync allows`);
  }
  const crowded = groups.find((group) => group.length > filtersPerGroup);
  if (crowded !== undefined) {
    throw new UtilArgumentError(`util.transform.toSubscriptionFilter: a filter group has ${crowded.length} filters, more than the ${filtersPerGroup} AppSync allows`);
  }
  return { filterGroup: groups.map((filters) => ({ filters })) };
}

// ---- util.transform ----

const implementation = {
  toDynamoDBFilterExpression: (filter: unknown): string =>
    JSON.stringify(buildConditionExpression(filter, 'util.transform.toDynamoDBFilterExpression')),
  toDynamoDBConditionExpression: (condition: unknown): string =>
    JSON.stringify(buildConditionExpression(condition, 'util.transform.toDynamoDBConditionExpression')),
  toElasticsearchQueryDSL: (filter: unknown): string => JSON.stringify(allOf(openSearchClauses(filter))),
  toSubscriptionFilter,
};

export const transformUtil: TransformUtils = implementation as TransformUtils;
