// DynamoDB in the sandbox: DynamoDB Local started, the template's tables created in it, and the TTL sweeper that
// deletes expired items (DynamoDB Local accepts a TTL setting but never expires anything).
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ServiceInstance } from '../aws/service.ts';
import type { Logger } from '../log.ts';
import type { TableModel } from '../template/model.ts';
import { dynamoDbClient, launchDynamoDbLocal, type DynamoDbLocal } from './launch.ts';
import { createTables } from './tables.ts';
import { startTtlSweeper } from './ttl-sweeper.ts';

export interface DynamoDbOptions {
  tables: readonly TableModel[];
  /** Keep data in files under dbPath between runs; in memory otherwise. */
  persist: boolean;
  dbPath: string;
  ttlSweepIntervalMs: number;
  log: Logger;
  /**
   * A DynamoDB Local already running, to use instead of launching one, and the access key id to use in it: DynamoDB
   * Local keeps one set of tables per access key id and region, so sandboxes with different ids share one Java process
   * without seeing each other's tables. The tables are deleted when the service stops.
   */
  shared?: { endpoint: string; accessKeyId: string };
  /**
   * A DynamoDB Local launched by the caller (with this service's persist and dbPath), maybe still starting, to use
   * instead of launching one: `npm start` launches it first thing so Java starts alongside the synth and the module
   * loading (sandbox/start.ts). The caller stops it; this service creates its tables in it as in one it launched.
   */
  launched?: Promise<DynamoDbLocal>;
}

export interface DynamoDbService extends ServiceInstance {
  endpoint: string;
  client: DynamoDBClient;
  /** The template's table names, as data sources name them. */
  tableNames: ReadonlySet<string>;
}

/**
 * DynamoDB Local answering, its tables still being created: what the other services need of it (its endpoint and a
 * client) is there before the tables are, so they can start meanwhile (sandbox/sandbox.ts).
 */
export interface OpeningDynamoDb {
  endpoint: string;
  client: DynamoDBClient;
  /** The template's table names, as data sources name them. */
  tableNames: ReadonlySet<string>;
  /**
   * The service once the tables exist. When creating them fails, the tables made in a shared DynamoDB Local are
   * deleted and one launched here is stopped before this rejects.
   */
  ready: Promise<DynamoDbService>;
}

/** DynamoDB Local launched (or the one given) and answering, with its tables being created: see `ready`. */
export async function openDynamoDb(options: DynamoDbOptions): Promise<OpeningDynamoDb> {
  const { shared, launched } = options;
  const local: Pick<DynamoDbLocal, 'endpoint' | 'stop'> = shared
    ? { endpoint: shared.endpoint, stop: () => Promise.resolve() }
    : launched
      ? { endpoint: (await launched).endpoint, stop: () => Promise.resolve() }
      : await launchDynamoDbLocal({ inMemory: !options.persist, dbPath: options.dbPath, log: options.log });
  const client = dynamoDbClient(local.endpoint, shared?.accessKeyId);
  const tableNames = new Set(options.tables.map((t) => t.tableName));
  const created: Awaited<ReturnType<typeof createTables>> = [];
  // Tables this sandbox made in a shared DynamoDB Local go with it; a launched one takes them along when it stops.
  const dropTables = async (): Promise<void> => {
    if (!shared) return;
    await Promise.all(created.map((table) => client.send(new DeleteTableCommand({ TableName: table.tableName })).catch((error: unknown) => {
      options.log.warn(`could not delete table ${table.tableName} from the shared DynamoDB Local: ${error instanceof Error ? error.message : String(error)}`);
    })));
  };
  const ready = (async (): Promise<DynamoDbService> => {
    try {
      created.push(...await createTables(client, options.tables.map((t) => ({ tableName: t.tableName, properties: t.properties }))));
      const sweeper = startTtlSweeper({
        client,
        tables: created.flatMap((t) => (t.ttlAttribute ? [{ tableName: t.tableName, ttlAttribute: t.ttlAttribute, keyNames: t.keyNames }] : [])),
        intervalMs: options.ttlSweepIntervalMs,
        log: options.log,
      });
      return {
        endpoint: local.endpoint,
        client,
        tableNames,
        routes: [],
        stop: async () => {
          sweeper.stop();
          await dropTables();
          await local.stop();
        },
      };
    } catch (error) {
      await dropTables();
      await local.stop();
      throw error;
    }
  })();
  // Its failure is the awaiting caller's to report; until then it must not count as an unhandled rejection.
  ready.catch(() => undefined);
  return { endpoint: local.endpoint, client, tableNames, ready };
}
