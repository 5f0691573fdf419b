// AppSync's GraphQL dialect: the AWS scalars, validated as AppSync validates them ("Scalar types
// in AWS AppSync"), and the @aws_* directives, declared so that a schema written for AppSync parses.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildSchema, GraphQLError, GraphQLScalarType, Kind, type GraphQLSchema, type ValueNode } from 'graphql';

/** The AWS scalars and @aws_* directives, as AppSync declares them for every schema. */
export const AWS_DEFINITIONS = readFileSync(fileURLToPath(new URL('./aws-definitions.graphql', import.meta.url)), 'utf8');

const SCALAR_NAMES = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSTimestamp', 'AWSEmail', 'AWSJSON', 'AWSURL', 'AWSPhone', 'AWSIPAddress'];

const OFFSET = '(Z|[+-]\\d{2}(:\\d{2}(:\\d{2})?)?)';
const DATE = '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])';
const TIME = '([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?';
const PATTERNS: Record<string, RegExp> = {
  // Dates and times are extended ISO 8601; AWSDateTime requires the offset, the others allow it.
  AWSDate: new RegExp(`^${DATE}${OFFSET}?$`),
  AWSTime: new RegExp(`^${TIME}${OFFSET}?$`),
  AWSDateTime: new RegExp(`^${DATE}T${TIME}${OFFSET}$`),
  AWSEmail: /^[^\s@]+@[^\s@]+$/,
  AWSPhone: /^\+?\d[\d\s-]{2,}$/,
};

function invalid(type: string, value: unknown): GraphQLError {
  return new GraphQLError(`Invalid value ${JSON.stringify(value)} for ${type}`);
}

function validString(type: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(type, value);
  const pattern = PATTERNS[type];
  if (pattern && !pattern.test(value)) throw invalid(type, value);
  if (type === 'AWSDate' || type === 'AWSDateTime') {
    // The pattern accepts day 31 of every month; the calendar decides.
    const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
    if (new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) throw invalid(type, value);
  }
  if (type === 'AWSURL') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw invalid(type, value);
    }
    if (!url.protocol || !/^[a-z][a-z0-9+.-]*:$/i.test(url.protocol)) throw invalid(type, value);
  }
  if (type === 'AWSIPAddress') {
    const [address = '', prefix, extra] = value.split('/');
    const family = isIP(address);
    const maxPrefix = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix))) throw invalid(type, value);
  }
  return value;
}

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING: case Kind.ENUM: return node.value;
    case Kind.INT: return Number.parseInt(node.value, 10);
    case Kind.FLOAT: return Number.parseFloat(node.value);
    case Kind.BOOLEAN: return node.value;
    case Kind.NULL: return null;
    case Kind.LIST: return node.values.map(literal);
    case Kind.OBJECT: return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.VARIABLE: return undefined;
  }
}

function scalar(name: string): GraphQLScalarType {
  if (name === 'AWSTimestamp') {
    const toInt = (value: unknown): number => {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(name, value);
      return value;
    };
    return new GraphQLScalarType({ name, serialize: toInt, parseValue: toInt, parseLiteral: (node) => toInt(literal(node)) });
  }
  if (name === 'AWSJSON') {
    // Inputs are JSON strings that resolvers receive parsed; outputs are serialized to a JSON string.
    const parse = (value: unknown): unknown => {
      if (typeof value !== 'string') throw invalid(name, value);
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw invalid(name, value);
      }
    };
    return new GraphQLScalarType({
      name,
      serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
      parseValue: parse,
      parseLiteral: (node) => parse(literal(node)),
    });
  }
  return new GraphQLScalarType({
    name,
    serialize: (value) => validString(name, value),
    parseValue: (value) => validString(name, value),
    parseLiteral: (node) => validString(name, literal(node)),
  });
}

/** Builds an executable schema from an AppSync schema definition. */
export function buildAppSyncSchema(definition: string): GraphQLSchema {
  const schema = buildSchema(`${AWS_DEFINITIONS}\n${definition}`);
  const types = schema.getTypeMap();
  for (const name of SCALAR_NAMES) {
    const target = types[name] as GraphQLScalarType;
    const real = scalar(name);
    target.serialize = real.serialize;
    target.parseValue = real.parseValue;
    target.parseLiteral = real.parseLiteral;
  }
  return schema;
}
