// Creates the template's DynamoDB tables in DynamoDB Local from their CloudFormation `Properties`.
// Property names and shapes: "AWS::DynamoDB::Table" in the CloudFormation template reference.
import {
  CreateTableCommand, ResourceInUseException, UpdateTimeToLiveCommand, waitUntilTableExists,
  type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export interface TableDefinition {
  tableName: string;
  properties: Record<string, unknown>;
}

export interface CreatedTable {
  tableName: string;
  /** The partition key, then the sort key if any. */
  keyNames: string[];
  /** The attribute TimeToLiveSpecification enables, or null. */
  ttlAttribute: string | null;
}

export class TableDefinitionError extends Error {
  readonly errorType = 'TableDefinition';
  constructor(message: string) {
    super(message);
    this.name = 'TableDefinitionError';
  }
}

/** Passed to CreateTable as they are. */
const PASSED = ['KeySchema', 'AttributeDefinitions', 'BillingMode', 'ProvisionedThroughput'] as const;
/** Reshaped for CreateTable or applied after it. */
const RESHAPED = ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'StreamSpecification', 'TimeToLiveSpecification', 'TableName'] as const;
/** Billing, backup, encryption, monitoring and access: nothing DynamoDB Local stores or enforces. */
const IGNORED = [
  'PointInTimeRecoverySpecification', 'DeletionProtectionEnabled', 'SSESpecification', 'Tags', 'TableClass',
  'ContributorInsightsSpecification', 'KinesisStreamSpecification', 'ResourcePolicy', 'OnDemandThroughput', 'WarmThroughput',
] as const;
const KNOWN: ReadonlySet<string> = new Set([...PASSED, ...RESHAPED, ...IGNORED]);
/** Index properties CreateTable takes; the others (ContributorInsightsSpecification, OnDemandThroughput, WarmThroughput) are dropped. */
const INDEX_FIELDS = ['IndexName', 'KeySchema', 'Projection', 'ProvisionedThroughput'] as const;

type Properties = Record<string, unknown>;

function isObject(value: unknown): value is Properties {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick(source: Properties, fields: readonly string[]): Properties {
  return Object.fromEntries(fields.filter((field) => source[field] !== undefined).map((field) => [field, source[field]]));
}

function indexes(table: string, properties: Properties, field: string): Properties[] | undefined {
  const list = properties[field];
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || !list.every(isObject)) throw new TableDefinitionError(`Table '${table}': ${field} must be a list of index definitions`);
  return list.map((index) => pick(index, INDEX_FIELDS));
}

function keyNames(table: string, properties: Properties): string[] {
  const schema = properties['KeySchema'];
  const keys = Array.isArray(schema) ? schema.filter(isObject) : [];
  const names = [...keys.filter((key) => key['KeyType'] === 'HASH'), ...keys.filter((key) => key['KeyType'] === 'RANGE')].map((key) => key['AttributeName']);
  if (names.length === 0 || !names.every((name): name is string => typeof name === 'string')) {
    throw new TableDefinitionError(`Table '${table}': KeySchema must list the key attributes`);
  }
  return names;
}

function ttlAttribute(table: string, properties: Properties): string | null {
  const spec = properties['TimeToLiveSpecification'];
  if (spec === undefined) return null;
  if (!isObject(spec) || (spec['Enabled'] === true && typeof spec['AttributeName'] !== 'string')) {
    throw new TableDefinitionError(`Table '${table}': TimeToLiveSpecification needs Enabled and an AttributeName`);
  }
  return spec['Enabled'] === true ? (spec['AttributeName'] as string) : null;
}

/** CloudFormation's StreamSpecification holds only the view type; CreateTable also wants StreamEnabled. */
function stream(properties: Properties): Properties {
  const spec = properties['StreamSpecification'];
  return isObject(spec) ? { StreamSpecification: { StreamEnabled: true, StreamViewType: spec['StreamViewType'] } } : {};
}

/** The CreateTable input for one table, or an error naming the table and the property DynamoDB Local can't honour. */
export function createTableInput(definition: TableDefinition): CreateTableCommandInput {
  const { tableName, properties } = definition;
  const unknown = Object.keys(properties).filter((property) => !KNOWN.has(property));
  if (unknown.length > 0) {
    throw new TableDefinitionError(`Table '${tableName}': unknown AWS::DynamoDB::Table propert${unknown.length === 1 ? 'y' : 'ies'} ${unknown.map((name) => `'${name}'`).join(', ')}; the sandbox cannot create it`);
  }
  keyNames(tableName, properties);
  const gsis = indexes(tableName, properties, 'GlobalSecondaryIndexes');
  const lsis = indexes(tableName, properties, 'LocalSecondaryIndexes');
  return {
    TableName: tableName,
    ...pick(properties, PASSED),
    ...(gsis === undefined ? {} : { GlobalSecondaryIndexes: gsis }),
    ...(lsis === undefined ? {} : { LocalSecondaryIndexes: lsis }),
    ...stream(properties),
    // The shapes are CloudFormation's own; DynamoDB Local rejects what doesn't fit with a ValidationException.
  } as unknown as CreateTableCommandInput;
}

/**
 * Creates each table (a table that already exists, as in a kept `-dbPath`, is left as it is) and waits until it is ACTIVE.
 * Returns each table's key names and TTL attribute: DynamoDB Local expires items too slowly (~20 a table every 10 s),
 * the sweeper does it.
 */
export async function createTables(client: DynamoDBClient, tables: TableDefinition[]): Promise<CreatedTable[]> {
  // Every definition is checked before the first table is created.
  const inputs = tables.map((table) => ({
    table, input: createTableInput(table), keys: keyNames(table.tableName, table.properties), ttl: ttlAttribute(table.tableName, table.properties),
  }));
  const created: CreatedTable[] = [];
  for (const { table, input, keys, ttl } of inputs) {
    try {
      await client.send(new CreateTableCommand(input));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table.tableName });
    if (ttl !== null) {
      await client.send(new UpdateTimeToLiveCommand({ TableName: table.tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: ttl } }))
        .catch((error: unknown) => {
          // A kept database already has TTL enabled; DynamoDB refuses to enable it twice.
          if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
        });
    }
    created.push({ tableName: table.tableName, keyNames: keys, ttlAttribute: ttl });
  }
  return created;
}
