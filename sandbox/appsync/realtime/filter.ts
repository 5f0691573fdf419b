// Enhanced subscription filters ("Enhanced subscription filtering" in the AppSync developer guide):
// filters are AND-ed within a group, groups are OR-ed; fieldName may be a dotted path.

export interface FilterRule { fieldName: string; operator: string; value: unknown }
export interface SubscriptionFilter { filterGroup: { filters: FilterRule[] }[] }

type Scalar = string | number | boolean;

function at(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), data);
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function order(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function contains(field: unknown, value: unknown): boolean {
  if (typeof field === 'string' && typeof value === 'string') return field.includes(value);
  if (Array.isArray(field)) return field.includes(value);
  return false;
}

/** Whether one rule holds for the published data. A missing field satisfies only attributeExists: false. */
export function ruleMatches(rule: FilterRule, data: unknown): boolean {
  const field = at(data, rule.fieldName);
  const { operator, value } = rule;
  if (operator === 'attributeExists') return (field !== undefined && field !== null) === (value === true);
  if (field === undefined || field === null) return false;
  const list: unknown[] = Array.isArray(value) ? (value as unknown[]) : [];
  switch (operator) {
    case 'eq': return isScalar(field) && field === value;
    case 'ne': return !(isScalar(field) && field === value);
    case 'lt': return (order(field, value) ?? 0) < 0;
    case 'le': return (order(field, value) ?? 1) <= 0;
    case 'gt': return (order(field, value) ?? 0) > 0;
    case 'ge': return (order(field, value) ?? -1) >= 0;
    case 'contains': return contains(field, value);
    case 'notContains': return !contains(field, value);
    case 'beginsWith': return typeof field === 'string' && typeof value === 'string' && field.startsWith(value);
    case 'in': return list.includes(field);
    case 'notIn': return !list.includes(field);
    case 'between': {
      const [low, high] = list;
      return (order(field, low) ?? -1) >= 0 && (order(field, high) ?? 1) <= 0;
    }
    case 'containsAny': return Array.isArray(field) && list.some((v) => field.includes(v));
    default: return false;
  }
}

/** Whether the data passes the filter: some group whose every rule holds. No filter lets all pass. */
export function filterMatches(filter: SubscriptionFilter | undefined | null, data: unknown): boolean {
  if (!filter || filter.filterGroup.length === 0) return true;
  return filter.filterGroup.some((group) => group.filters.every((rule) => ruleMatches(rule, data)));
}
