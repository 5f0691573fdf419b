// DynamoDB in the sandbox: DynamoDB Local started, the template's tables created in it, and the TTL sweeper that
// deletes expired items (DynamoDB Local accepts a TTL setting but never expires anything).
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ServiceInstance } from '../aws/service.ts';
import type { Logger } from '../log.ts';
import type { TableModel } from '../template/model.ts';
import { dynamoDbClient, launchDynamoDbLocal } from './launch.ts';
import { createTables } from './tables.ts';
import { startTtlSweeper } from './ttl-sweeper.ts';

export interface DynamoDbOptions {
  tables: readonly TableModel[];
  /** Keep data in files under dbPath between runs; in memory otherwise. */
  persist: boolean;
  dbPath: string;
  ttlSweepIntervalMs: number;
  log: Logger;
}

export interface DynamoDbService extends ServiceInstance {
  endpoint: string;
  client: DynamoDBClient;
  /** The template's table names, as data sources name them. */
  tableNames: ReadonlySet<string>;
}

export async function startDynamoDb(options: DynamoDbOptions): Promise<DynamoDbService> {
  const local = await launchDynamoDbLocal({ inMemory: !options.persist, dbPath: options.dbPath, log: options.log });
  try {
    const client = dynamoDbClient(local.endpoint);
    const created = await createTables(client, options.tables.map((t) => ({ tableName: t.tableName, properties: t.properties })));
    const sweeper = startTtlSweeper({
      client,
      tables: created.flatMap((t) => (t.ttlAttribute ? [{ tableName: t.tableName, ttlAttribute: t.ttlAttribute, keyNames: t.keyNames }] : [])),
      intervalMs: options.ttlSweepIntervalMs,
      log: options.log,
    });
    return {
      endpoint: local.endpoint,
      client,
      tableNames: new Set(options.tables.map((t) => t.tableName)),
      routes: [],
      stop: async () => {
        sweeper.stop();
        await local.stop();
      },
    };
  } catch (error) {
    await local.stop();
    throw error;
  }
}
