// Executes GraphQL operations as AppSync does: parse and validate, authorize each field by its
// @aws_* directives, run its resolver, and answer in AppSync's response and error shapes.
import {
  execute, Kind, OperationTypeNode, parse, responsePathAsArray, validate, type DocumentNode, type ExecutionResult, type FieldNode, type GraphQLFieldResolver,
  type GraphQLError, type GraphQLResolveInfo, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import type { Caller } from './auth.ts';
import { fieldAllowed } from './authorize.ts';
import type { DataSourceExecutor } from './datasources/dispatch.ts';
import { FieldFailure } from './field-failure.ts';
import { RequestLimits } from './limits.ts';
import { runResolver, type ResolverRun } from './resolve.ts';
import type { AuthMode, ResolverInfo } from './runtime/context.ts';
import { selectionSetGraphQL, selectionSetList } from './runtime/context.ts';
import type { CompiledCode } from './runtime/module.ts';
import type { ResolverInstance } from './runtime/execute.ts';
import { DocumentCache } from './document-cache.ts';
import { variableCoercionError } from './variables.ts';
import type { Logger } from '../log.ts';
import type { ApiModel, ResolverModel } from '../template/model.ts';

export interface GraphqlRequest { query: string; variables?: Record<string, unknown> | null; operationName?: string | null }

/** One entry of `errors` in an AppSync response. */
export interface AppSyncError {
  path: (string | number)[] | null;
  data?: unknown;
  errorType?: string | null;
  errorInfo?: unknown;
  locations: { line: number; column: number; sourceName: null }[];
  message: string;
}

export interface AppSyncResponse { data: Record<string, unknown> | null; errors?: AppSyncError[] }

/** A mutation field that resolved: what @aws_subscribe publishes. */
export interface MutationResult { fieldName: string; alias: string; value: unknown; instances: ResolverInstance[] }

export interface ExecuteOutcome { response: AppSyncResponse; operation: OperationDefinitionNode | null; mutations: MutationResult[] }

export interface GraphqlEngineOptions {
  api: ApiModel;
  schema: GraphQLSchema;
  code: (key: string) => CompiledCode;
  execute: DataSourceExecutor;
  log: Logger;
}

interface ExecutionContext {
  caller: Caller;
  headers: Record<string, string>;
  extraErrors: AppSyncError[];
  mutations: Map<string, ResolverInstance[]>;
  limits: RequestLimits;
}

export class GraphqlEngine {
  private readonly resolvers: Map<string, ResolverModel>;
  private readonly defaultMode: AuthMode;
  private readonly functions: Map<string, { name: string; dataSourceName: string; hasCode: boolean }>;
  private readonly documents = new DocumentCache();
  /** A field node's selection, worked out once per cached document (the nodes are immutable). */
  private readonly selections = new WeakMap<FieldNode, { list: readonly string[]; graphql: string }>();

  constructor(private readonly options: GraphqlEngineOptions) {
    this.resolvers = new Map(options.api.resolvers.map((r) => [`${r.typeName}.${r.fieldName}`, r]));
    this.defaultMode = options.api.auth.default.type;
    this.functions = new Map([...options.api.functions].map(([id, f]) => [id, { name: f.name, dataSourceName: f.dataSourceName, hasCode: f.code !== null }]));
  }

  get schema(): GraphQLSchema {
    return this.options.schema;
  }

  get defaultAuthMode(): AuthMode {
    return this.defaultMode;
  }

  resolverFor(typeName: string, fieldName: string): ResolverModel | undefined {
    return this.resolvers.get(`${typeName}.${fieldName}`);
  }

  /** Runs a field's resolver (also outside an execution: subscriptions run theirs at start). */
  runFieldResolver(resolver: ResolverModel, input: { args: Record<string, unknown>; caller: Caller; headers: Record<string, string>; source: unknown; info: ResolverInfo }): Promise<ResolverRun> {
    return runResolver({
      resolver,
      code: this.options.code,
      functions: this.functions,
      dataSources: this.options.api.dataSources,
      execute: this.options.execute,
      authType: input.caller.authType,
      context: {
        arguments: input.args,
        identity: input.caller.identity,
        source: input.source,
        info: input.info,
        headers: input.headers,
        env: this.options.api.environmentVariables,
      },
    });
  }

  /** Parses, validates and runs one request for an authenticated caller. */
  async run(request: GraphqlRequest, caller: Caller, headers: Record<string, string>): Promise<ExecuteOutcome> {
    const document = this.documents.get(request.query) ?? this.parseAndValidate(request.query);
    if (!('kind' in document)) return { response: { data: null, errors: document.errors }, operation: null, mutations: [] };
    const operation = pickOperation(document, request.operationName ?? null);
    if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
      const message = 'Subscriptions are served over the real-time endpoint (<graphql url>/realtime), not over HTTP.';
      return { response: { data: null, errors: [{ path: null, errorType: 'UnsupportedOperation', locations: [], message }] }, operation, mutations: [] };
    }
    const invalid = operation ? variableCoercionError(this.options.schema, operation, request.variables ?? {}) : null;
    if (invalid) return { response: { data: null, errors: [{ path: null, ...invalid }] }, operation, mutations: [] };
    const context: ExecutionContext = { caller, headers, extraErrors: [], mutations: new Map(), limits: new RequestLimits(this.options.api.limits) };
    const result = (await execute({
      schema: this.options.schema,
      document,
      variableValues: request.variables ?? null,
      operationName: request.operationName ?? null,
      contextValue: context,
      fieldResolver: this.resolveField,
    })) as ExecutionResult<Record<string, unknown>>;
    const errors = [...(result.errors ?? []).map(fieldErrorOf), ...context.extraErrors];
    const response: AppSyncResponse = { data: result.data ?? null };
    if (errors.length > 0) response.errors = errors;
    const mutations = operation?.operation === OperationTypeNode.MUTATION ? this.mutationResults(operation, result.data ?? null, context) : [];
    return { response, operation, mutations };
  }

  /** A valid document is kept for the next request with the same text; an invalid one answers its errors. */
  private parseAndValidate(query: string): DocumentNode | { errors: AppSyncError[] } {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return { errors: [documentError(error as GraphQLError, 'Invalid syntax')] };
    }
    const invalid = validate(this.options.schema, document);
    if (invalid.length > 0) return { errors: invalid.map((e) => documentError(e, 'Validation error')) };
    this.documents.set(query, document);
    return document;
  }

  private mutationResults(operation: OperationDefinitionNode, data: Record<string, unknown> | null, context: ExecutionContext): MutationResult[] {
    const out: MutationResult[] = [];
    for (const selection of operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const alias = selection.alias?.value ?? selection.name.value;
      const value = data?.[alias];
      if (value !== null && value !== undefined) out.push({ fieldName: selection.name.value, alias, value, instances: context.mutations.get(alias) ?? [] });
    }
    return out;
  }

  /**
   * Synchronous for fields without a resolver (most of a response: every field of every item), so
   * graphql-js completes them without a promise each; a field with a resolver returns its run's promise.
   */
  private readonly resolveField: GraphQLFieldResolver<unknown, ExecutionContext> = (source, args, context, info) => {
    context.limits.checkDepth(info.path, info.fieldName);
    const field = info.parentType.getFields()[info.fieldName];
    if (field && !fieldAllowed(info.parentType, field, context.caller, this.defaultMode)) {
      throw FieldFailure.of(`Not Authorized to access ${info.fieldName} on type ${info.parentType.name}`, 'Unauthorized');
    }
    const resolver = this.resolvers.get(`${info.parentType.name}.${info.fieldName}`);
    if (!resolver) {
      return typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[info.fieldName] : undefined;
    }
    context.limits.countResolver(info.parentType.name, info.fieldName);
    return this.resolveWithResolver(resolver, source, args as Record<string, unknown>, context, info);
  };

  private async resolveWithResolver(resolver: ResolverModel, source: unknown, args: Record<string, unknown>, context: ExecutionContext, info: GraphQLResolveInfo): Promise<unknown> {
    const [fieldNode] = info.fieldNodes;
    const selection = fieldNode ? this.selectionOf(fieldNode, info) : { list: [], graphql: '' };
    const run = await this.runFieldResolver(resolver, {
      args,
      caller: context.caller,
      headers: context.headers,
      source: source ?? null,
      info: {
        fieldName: info.fieldName,
        parentTypeName: info.parentType.name,
        variables: info.variableValues,
        // A copy: the resolver may change its ctx, never the cached list.
        selectionSetList: [...selection.list],
        selectionSetGraphQL: selection.graphql,
      },
    });
    const path = responsePathAsArray(info.path);
    const locations = info.fieldNodes.flatMap((n) => (n.loc ? [{ line: n.loc.startToken.line, column: n.loc.startToken.column, sourceName: null }] : []));
    for (const e of run.appended) context.extraErrors.push({ path, data: e.data, errorType: e.errorType, errorInfo: e.errorInfo, locations, message: e.message });
    if (info.parentType.name === 'Mutation' && info.path.prev === undefined) context.mutations.set(String(info.path.key), run.instances);
    if (run.error) {
      this.options.log.warn(`${info.parentType.name}.${info.fieldName} (${resolver.code?.path.split('/').pop() ?? 'direct Lambda'}): ${run.error.errorType ?? 'Error'}: ${run.error.message}`);
      throw new FieldFailure(run.error);
    }
    return run.value;
  }

  private selectionOf(fieldNode: FieldNode, info: GraphQLResolveInfo): { list: readonly string[]; graphql: string } {
    let selection = this.selections.get(fieldNode);
    if (!selection) {
      selection = { list: selectionSetList(fieldNode, info.fragments), graphql: selectionSetGraphQL(fieldNode) };
      this.selections.set(fieldNode, selection);
    }
    return selection;
  }
}

function pickOperation(document: DocumentNode, name: string | null): OperationDefinitionNode | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return (name === null ? operations[0] : operations.find((o) => o.name?.value === name)) ?? null;
}

function locationsOf(error: GraphQLError): AppSyncError['locations'] {
  return (error.locations ?? []).map((l) => ({ line: l.line, column: l.column, sourceName: null }));
}

function documentError(error: GraphQLError, kind: string): AppSyncError {
  return { path: null, locations: locationsOf(error), message: `${kind}: ${error.message}` };
}

/** AppSync's shape for an error raised while resolving a field. */
function fieldErrorOf(error: GraphQLError): AppSyncError {
  const original = error.originalError;
  const field = original instanceof FieldFailure ? original.fieldError : null;
  return {
    path: error.path ? [...error.path] : null,
    data: field?.data ?? null,
    errorType: field?.errorType ?? (original ? 'Code' : 'ValidationError'),
    errorInfo: field?.errorInfo ?? null,
    locations: locationsOf(error),
    message: field?.message ?? error.message,
  };
}
