// Enhanced subscription filters: each operator delivers when it holds and withholds when it does not.
import { describe, expect, it } from '@jest/globals';
import { filterMatches, ruleMatches } from '../../../../../sandbox/appsync/realtime/filter.ts';

const event = { owner: 'u1', priority: 5, title: 'Quarterly report', tags: ['work', 'urgent'], meta: { region: 'eu' }, done: false };

const cases: [string, unknown, unknown][] = [
  // operator, a value that delivers, a value that withholds
  ['eq', 'u1', 'u2'],
  ['ne', 'u2', 'u1'],
  ['lt', 6, 5],
  ['le', 5, 4],
  ['gt', 4, 5],
  ['ge', 5, 6],
  ['contains', 'report', 'memo'],
  ['notContains', 'memo', 'report'],
  ['beginsWith', 'Quarter', 'Annual'],
  ['in', ['u1', 'u3'], ['u2', 'u3']],
  ['notIn', ['u2', 'u3'], ['u1', 'u3']],
  ['between', [1, 5], [6, 9]],
  ['containsAny', ['urgent', 'later'], ['later', 'never']],
];

const field: Record<string, string> = { eq: 'owner', ne: 'owner', lt: 'priority', le: 'priority', gt: 'priority', ge: 'priority', contains: 'title', notContains: 'title', beginsWith: 'title', in: 'owner', notIn: 'owner', between: 'priority', containsAny: 'tags' };

describe('enhanced subscription filters', () => {
  it.each(cases)('%s delivers when it holds', (operator, delivering) => {
    expect(filterMatches({ filterGroup: [{ filters: [{ fieldName: field[operator] ?? '', operator, value: delivering }] }] }, event)).toBe(true);
  });

  it.each(cases)('%s withholds when it does not hold', (operator, _delivering, withholding) => {
    expect(filterMatches({ filterGroup: [{ filters: [{ fieldName: field[operator] ?? '', operator, value: withholding }] }] }, event)).toBe(false);
  });

  it('attributeExists delivers for a present field and withholds for a missing one', () => {
    expect(ruleMatches({ fieldName: 'owner', operator: 'attributeExists', value: true }, event)).toBe(true);
    expect(ruleMatches({ fieldName: 'missing', operator: 'attributeExists', value: true }, event)).toBe(false);
    expect(ruleMatches({ fieldName: 'missing', operator: 'attributeExists', value: false }, event)).toBe(true);
  });

  it('contains also looks inside a list field', () => {
    expect(ruleMatches({ fieldName: 'tags', operator: 'contains', value: 'work' }, event)).toBe(true);
    expect(ruleMatches({ fieldName: 'tags', operator: 'notContains', value: 'work' }, event)).toBe(false);
  });

  it('reads a nested field by its dotted path', () => {
    expect(ruleMatches({ fieldName: 'meta.region', operator: 'eq', value: 'eu' }, event)).toBe(true);
  });

  it('compares booleans with eq', () => {
    expect(ruleMatches({ fieldName: 'done', operator: 'eq', value: false }, event)).toBe(true);
  });

  it('treats a missing field as not matching (not documented by AWS)', () => {
    expect(ruleMatches({ fieldName: 'missing', operator: 'ne', value: 'x' }, event)).toBe(false);
    expect(ruleMatches({ fieldName: 'missing', operator: 'eq', value: 'x' }, event)).toBe(false);
  });

  it('refuses comparisons between a number and a string', () => {
    expect(ruleMatches({ fieldName: 'priority', operator: 'gt', value: '1' }, event)).toBe(false);
    expect(ruleMatches({ fieldName: 'priority', operator: 'le', value: '9' }, event)).toBe(false);
  });

  it('ANDs the filters of a group', () => {
    const filter = { filterGroup: [{ filters: [{ fieldName: 'owner', operator: 'eq', value: 'u1' }, { fieldName: 'priority', operator: 'gt', value: 9 }] }] };

    expect(filterMatches(filter, event)).toBe(false);
  });

  it('ORs the groups', () => {
    const filter = { filterGroup: [
      { filters: [{ fieldName: 'owner', operator: 'eq', value: 'u2' }] },
      { filters: [{ fieldName: 'priority', operator: 'eq', value: 5 }] },
    ] };

    expect(filterMatches(filter, event)).toBe(true);
  });

  it('lets everything through when there is no filter', () => {
    expect(filterMatches(null, event)).toBe(true);
    expect(filterMatches({ filterGroup: [] }, event)).toBe(true);
  });

  it('withholds for an unknown operator', () => {
    expect(ruleMatches({ fieldName: 'owner', operator: 'like', value: 'u1' }, event)).toBe(false);
  });
});
