// The module's `operations` helpers and the UpdateItem expression built from an update object.
// Operation objects and the #expName_1 / :expValue_1 naming are what AppSync's runtime produces
// ("Amazon DynamoDB built-in module"; observed outputs of AppSync's EvaluateCode).
import { UtilArgumentError } from '../state.ts';
import { isPlainObject, toAttributeValue, type AttributeValue } from '../util/attribute-values.ts';

export type UpdateOperation =
  | { type: 'OPERATION_ADD'; value: unknown }
  | { type: 'OPERATION_REPLACE'; value: unknown }
  | { type: 'OPERATION_REMOVE' }
  | { type: 'OPERATION_INCREMENT'; by: number }
  | { type: 'OPERATION_DECREMENT'; by: number }
  | { type: 'OPERATION_APPEND'; items: unknown[] }
  | { type: 'OPERATION_PREPEND'; items: unknown[] }
  | { type: 'OPERATION_UPDATE_LIST_ITEM'; value: unknown; index: number };

function amount(helper: string, by: unknown): number {
  if (by === undefined) return 1;
  if (typeof by !== 'number' || !Number.isFinite(by)) {
    throw new UtilArgumentError(`operations.${helper} expects a number, got ${JSON.stringify(by) ?? typeof by}`);
  }
  return by;
}

function list(helper: string, items: unknown): unknown[] {
  if (!Array.isArray(items)) throw new UtilArgumentError(`operations.${helper} expects an array of items`);
  return items;
}

export const operations = {
  add: (value: unknown): UpdateOperation => ({ type: 'OPERATION_ADD', value }),
  remove: (): UpdateOperation => ({ type: 'OPERATION_REMOVE' }),
  replace: (value: unknown): UpdateOperation => ({ type: 'OPERATION_REPLACE', value }),
  increment: (by?: unknown): UpdateOperation => ({ type: 'OPERATION_INCREMENT', by: amount('increment', by) }),
  decrement: (by?: unknown): UpdateOperation => ({ type: 'OPERATION_DECREMENT', by: amount('decrement', by) }),
  append: (items: unknown): UpdateOperation => ({ type: 'OPERATION_APPEND', items: list('append', items) }),
  prepend: (items: unknown): UpdateOperation => ({ type: 'OPERATION_PREPEND', items: list('prepend', items) }),
  updateListItem: (value: unknown, index: unknown): UpdateOperation => {
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      throw new UtilArgumentError('operations.updateListItem expects a list index that is an integer of 0 or more');
    }
    return { type: 'OPERATION_UPDATE_LIST_ITEM', value, index };
  },
};

const OPERATION_TYPES: ReadonlySet<unknown> = new Set([
  'OPERATION_ADD', 'OPERATION_REPLACE', 'OPERATION_REMOVE', 'OPERATION_INCREMENT', 'OPERATION_DECREMENT',
  'OPERATION_APPEND', 'OPERATION_PREPEND', 'OPERATION_UPDATE_LIST_ITEM',
]);

function isOperation(value: unknown): value is UpdateOperation {
  return isPlainObject(value) && OPERATION_TYPES.has(value['type']);
}

export interface UpdateExpressionParts {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues?: Record<string, AttributeValue>;
}

/** Collects SET and REMOVE actions; one placeholder per attribute name, one per value. */
class UpdateBuilder {
  private readonly sets: string[] = [];
  private readonly removes: string[] = [];
  private readonly names = new Map<string, string>();
  private readonly values: Record<string, AttributeValue> = {};
  private valueCount = 0;

  private target(parent: string | null, attribute: string): string {
    return parent === null ? this.name(attribute) : `${parent}.${this.name(attribute)}`;
  }

  private name(attribute: string): string {
    let placeholder = this.names.get(attribute);
    if (placeholder === undefined) {
      placeholder = `#expName_${this.names.size + 1}`;
      this.names.set(attribute, placeholder);
    }
    return placeholder;
  }

  private value(value: unknown): string {
    this.valueCount += 1;
    const placeholder = `:expValue_${this.valueCount}`;
    this.values[placeholder] = toAttributeValue(value);
    return placeholder;
  }

  /** `parent` is the placeholder path of the enclosing map, if any; names are made only when used. */
  visit(parent: string | null, attribute: string, value: unknown): void {
    if (value === undefined) return;
    if (isPlainObject(value) && !isOperation(value)) {
      // A plain object updates only the members it names; operations.replace swaps the whole object.
      const members = Object.entries(value).filter(([, memberValue]) => memberValue !== undefined);
      if (members.length === 0) throw new UtilArgumentError(`update: '${attribute}' is an object with no member to update`);
      const target = this.target(parent, attribute);
      for (const [member, memberValue] of members) this.visit(target, member, memberValue);
      return;
    }
    const target = this.target(parent, attribute);
    if (isOperation(value)) {
      this.apply(target, value);
    } else if (Array.isArray(value) && value.length > 0 && value.every((item) => isOperation(item))) {
      for (const item of value) {
        if (item.type !== 'OPERATION_UPDATE_LIST_ITEM') {
          throw new UtilArgumentError('update: a list of operations may hold only operations.updateListItem');
        }
        this.apply(target, item);
      }
    } else {
      this.sets.push(`${target} = ${this.value(value)}`);
    }
  }

  private apply(target: string, operation: UpdateOperation): void {
    switch (operation.type) {
      case 'OPERATION_ADD':
      case 'OPERATION_REPLACE':
        this.sets.push(`${target} = ${this.value(operation.value)}`);
        break;
      case 'OPERATION_REMOVE':
        this.removes.push(target);
        break;
      case 'OPERATION_INCREMENT':
        this.sets.push(`${target} = ${target} + ${this.value(operation.by)}`);
        break;
      case 'OPERATION_DECREMENT':
        this.sets.push(`${target} = ${target} - ${this.value(operation.by)}`);
        break;
      case 'OPERATION_APPEND':
        this.sets.push(`${target} = list_append(${target}, ${this.value(operation.items)})`);
        break;
      case 'OPERATION_PREPEND':
        this.sets.push(`${target} = list_append(${this.value(operation.items)}, ${target})`);
        break;
      case 'OPERATION_UPDATE_LIST_ITEM':
        this.sets.push(`${target}[${operation.index}] = ${this.value(operation.value)}`);
        break;
    }
  }

  build(): UpdateExpressionParts {
    const clauses: string[] = [];
    if (this.sets.length > 0) clauses.push(`SET ${this.sets.join(', ')}`);
    if (this.removes.length > 0) clauses.push(`REMOVE ${this.removes.join(', ')}`);
    if (clauses.length === 0) throw new UtilArgumentError('update: the update object changes no attribute');
    const parts: UpdateExpressionParts = {
      expression: clauses.join(' '),
      expressionNames: Object.fromEntries([...this.names].map(([attribute, placeholder]) => [placeholder, attribute])),
    };
    // DynamoDB rejects an empty ExpressionAttributeValues map, as a REMOVE-only update would have.
    if (this.valueCount > 0) parts.expressionValues = this.values;
    return parts;
  }
}

export function buildUpdateExpression(update: unknown): UpdateExpressionParts {
  if (!isPlainObject(update)) throw new UtilArgumentError('update: `update` must be an object of attributes');
  const builder = new UpdateBuilder();
  for (const [attribute, value] of Object.entries(update)) builder.visit(null, attribute, value);
  return builder.build();
}
