// Subscriptions as AppSync runs them: checked and resolved at start (a null result allows, an error
// refuses, filters recorded), then fed by the mutations named in @aws_subscribe.
import {
  executeSync, getArgumentValues, getNamedType, getVariableValues, isObjectType, Kind, OperationTypeNode, parse, validate, type DocumentNode, type FieldNode, type GraphQLError,
  type GraphQLFieldResolver, type GraphQLObjectType, type OperationDefinitionNode,
} from 'graphql';
import type { Caller } from '../auth.ts';
import { fieldAllowed } from '../authorize.ts';
import type { GraphqlEngine, MutationResult } from '../graphql.ts';
import { selectionSetGraphQL, selectionSetList } from '../runtime/context.ts';
import type { WireError } from './protocol.ts';
import { filterMatches, type SubscriptionFilter } from './filter.ts';

export interface ActiveSubscription {
  fieldName: string;
  document: DocumentNode;
  variables: Record<string, unknown>;
  /** The arguments that filter: those naming a field of the returned type. */
  args: Record<string, unknown>;
  caller: Caller;
  filter: SubscriptionFilter | null;
  invalidationFilter: SubscriptionFilter | null;
}

export type Prepared = { ok: true; subscription: ActiveSubscription } | { ok: false; error: WireError };

const refuse = (errorType: string, message: string): Prepared => ({ ok: false, error: { errorType, message } });

/** Validates a start request's query and runs the subscription field's resolver. */
export async function prepareSubscription(engine: GraphqlEngine, data: string, caller: Caller, headers: Record<string, string>): Promise<Prepared> {
  let request: { query?: unknown; variables?: unknown };
  try {
    request = JSON.parse(data) as { query?: unknown; variables?: unknown };
  } catch {
    return refuse('MalformedMessage', 'payload.data is not valid JSON.');
  }
  if (typeof request.query !== 'string') return refuse('MalformedMessage', 'payload.data needs a "query" string.');
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return refuse('ValidationError', `Invalid syntax: ${(error as GraphQLError).message}`);
  }
  const schema = engine.schema;
  const invalid = validate(schema, document);
  if (invalid[0]) return refuse('ValidationError', `Validation error: ${invalid[0].message}`);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || operation?.operation !== OperationTypeNode.SUBSCRIPTION) {
    return refuse('UnsupportedOperation', 'Only one subscription operation can be started per start message.');
  }
  const root = schema.getSubscriptionType() as GraphQLObjectType;
  const fieldNode = operation.selectionSet.selections[0] as FieldNode;
  const field = root.getFields()[fieldNode.name.value];
  if (!field) return refuse('ValidationError', `Subscription field ${fieldNode.name.value} is not defined.`);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (request.variables ?? {}) as Record<string, unknown>);
  if (coerced.errors) return refuse('ValidationError', coerced.errors.map((e) => e.message).join(' '));
  const variables = coerced.coerced;
  if (!fieldAllowed(root, field, caller, engine.defaultAuthMode)) {
    return refuse('Unauthorized', `Not Authorized to access ${field.name} on type ${root.name}`);
  }
  const allArgs = getArgumentValues(field, fieldNode, variables);
  // Arguments filter on the returned field of the same name; others (e.g. inputs to an enhanced
  // filter) do not. AppSync's docs describe the first case only; the second is the sandbox's reading.
  const returned = getNamedType(field.type);
  const fieldNames = isObjectType(returned) ? Object.keys(returned.getFields()) : [];
  const args = Object.fromEntries(Object.entries(allArgs).filter(([name]) => fieldNames.includes(name)));
  const subscription: ActiveSubscription = { fieldName: field.name, document, variables, args, caller, filter: null, invalidationFilter: null };
  const resolver = engine.resolverFor(root.name, field.name);
  if (!resolver) return { ok: true, subscription };
  const run = await engine.runFieldResolver(resolver, {
    args: allArgs, caller, headers, source: null,
    info: { fieldName: field.name, parentTypeName: root.name, variables, selectionSetList: selectionSetList(fieldNode, {}), selectionSetGraphQL: selectionSetGraphQL(fieldNode) },
  });
  if (run.error) return refuse(run.error.errorType ?? 'Error', run.error.message);
  for (const instance of run.instances) {
    subscription.filter = (instance.state.subscriptionFilter as SubscriptionFilter | undefined) ?? subscription.filter;
    subscription.invalidationFilter = (instance.state.subscriptionInvalidationFilter as SubscriptionFilter | undefined) ?? subscription.invalidationFilter;
  }
  return { ok: true, subscription };
}

/** Subscription fields fed by each mutation field, from @aws_subscribe(mutations: [...]). */
export function subscribersByMutation(engine: GraphqlEngine): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const root = engine.schema.getSubscriptionType();
  for (const field of Object.values(root?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const list = directive?.arguments?.find((a) => a.name.value === 'mutations')?.value;
    if (list?.kind !== Kind.LIST) continue;
    for (const v of list.values) {
      if (v.kind === Kind.STRING) map.set(v.value, [...(map.get(v.value) ?? []), field.name]);
    }
  }
  return map;
}

/** Argument filtering: every non-null subscription argument must equal the published field. */
export function argumentsMatch(subscription: ActiveSubscription, value: unknown): boolean {
  return Object.entries(subscription.args).every(([name, expected]) =>
    expected === null || expected === undefined || (typeof value === 'object' && value !== null && (value as Record<string, unknown>)[name] === expected));
}

/** Whether a published mutation result reaches this subscription. */
export function delivers(subscription: ActiveSubscription, mutation: MutationResult): boolean {
  return argumentsMatch(subscription, mutation.value) && filterMatches(subscription.filter, mutation.value);
}

/** The message data for a subscriber: the mutation's result through the subscription's selection set. */
export function project(engine: GraphqlEngine, subscription: ActiveSubscription, value: unknown): { data: unknown; errors?: unknown[] } {
  const defaultMode = engine.defaultAuthMode;
  const resolveField: GraphQLFieldResolver<unknown, Caller> = (source, _args, caller, info) => {
    const field = info.parentType.getFields()[info.fieldName];
    if (info.path.prev !== undefined && field && !fieldAllowed(info.parentType, field, caller, defaultMode)) {
      throw new Error(`Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`);
    }
    return typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[info.fieldName] : undefined;
  };
  const result = executeSync({
    schema: engine.schema,
    document: subscription.document,
    rootValue: { [subscription.fieldName]: value },
    variableValues: subscription.variables,
    contextValue: subscription.caller,
    fieldResolver: resolveField,
  });
  const out: { data: unknown; errors?: unknown[] } = { data: result.data ?? null };
  if (result.errors) out.errors = result.errors.map((e) => ({ message: e.message, path: e.path ?? null, errorType: 'Unauthorized' }));
  return out;
}
