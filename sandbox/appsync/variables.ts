// A request's variables, checked against their declared types before anything runs, and refused in AppSync's words.
// AppSync's engine is graphql-java: users report its messages from AppSync ("Variable 'input' has coerced Null value
// for NonNull type 'String!'", https://github.com/aws/aws-appsync-community/issues/406), in the shape AppSync gives
// request errors: a null path, the location, no errorType (https://github.com/graphql/graphql-over-http/issues/81).
// graphql-js does the coercion; this file only words its first failure as graphql-java would.
import {
  coerceInputValue, getNamedType, GraphQLError, isInputObjectType, isListType, isNonNullType, typeFromAST,
  type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode, type VariableDefinitionNode,
} from 'graphql';

/** A request error as AppSync words it: where in the document, and why. */
export interface VariableError { message: string; locations: { line: number; column: number; sourceName: null }[] }

/** graphql-java names the JSON value it was given by its Java type. */
function javaTypeOf(value: unknown): string {
  if (typeof value === 'number') return !Number.isInteger(value) ? 'Double' : Math.abs(value) <= 2 ** 31 - 1 ? 'Integer' : 'Long';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  return Array.isArray(value) ? 'ArrayList' : 'LinkedHashMap';
}

const BUILT_IN_SCALARS = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);

/** The declared type at `path` inside a variable's value (list items by index, input fields by name). */
function typeAt(type: GraphQLInputType, path: readonly (string | number)[]): GraphQLInputType {
  let at = type;
  for (const key of path) {
    const nullable = isNonNullType(at) ? at.ofType : at;
    if (isListType(nullable)) at = nullable.ofType;
    else if (isInputObjectType(nullable)) at = nullable.getFields()[String(key)]?.type ?? at;
  }
  return at;
}

/** graphql-java's message for the first value of `type` that does not coerce. */
function reason(name: string, type: GraphQLInputType, value: unknown, error: GraphQLError): string {
  const coercedNull = (nonNull: GraphQLInputType): string => `Variable '${name}' has coerced Null value for NonNull type '${String(nonNull)}'`;
  const invalid = (why: string): string => `Variable '${name}' has an invalid value : ${why}`;
  if (value === null || value === undefined) return coercedNull(type);
  const named = getNamedType(type);
  if (isInputObjectType(named) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = named.getFields();
    const given = value as Record<string, unknown>;
    const missing = Object.values(fields).find((f) => given[f.name] === undefined && isNonNullType(f.type) && f.defaultValue === undefined);
    if (missing) return coercedNull(missing.type);
    const unknown = Object.keys(given).find((key) => !Object.hasOwn(fields, key));
    if (unknown !== undefined) return invalid(`The variables input contains a field name '${unknown}' that is not defined for input object type '${named.name}' `);
  }
  if (BUILT_IN_SCALARS.has(named.name) || isInputObjectType(named)) return invalid(`Expected type '${named.name}' but was '${javaTypeOf(value)}'.`);
  // The AWS scalars' and enums' own reasons: AWS documents no text for them (the sandbox's reading).
  return invalid(error.message);
}

function variableFailure(schema: GraphQLSchema, definition: VariableDefinitionNode, inputs: Record<string, unknown>): string | null {
  const name = definition.variable.name.value;
  const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
  if (type === undefined) return null; // validation already refused an unknown type
  if (!Object.hasOwn(inputs, name) || inputs[name] === null) {
    const given = Object.hasOwn(inputs, name) || definition.defaultValue === undefined;
    return given && isNonNullType(type) ? reason(name, type, null, new GraphQLError('null')) : null;
  }
  let failure: string | null = null;
  coerceInputValue(inputs[name], type, (path, value, error) => {
    failure ??= reason(name, typeAt(type, path), value, error);
  });
  return failure;
}

/** The error for the first variable of `operation` that does not coerce (graphql-java stops there too), or null. */
export function variableCoercionError(schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown>): VariableError | null {
  for (const definition of operation.variableDefinitions ?? []) {
    const message = variableFailure(schema, definition, inputs);
    if (message !== null) {
      const location = definition.loc?.startToken;
      return { locations: location ? [{ line: location.line, column: location.column, sourceName: null }] : [], message };
    }
  }
  return null;
}
