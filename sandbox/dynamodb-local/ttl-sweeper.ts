// Deletes expired items every intervalMs. DynamoDB Local deletes them too on a table with TTL enabled, but slowly (it
// reads 20 items of a table about every 10 s, measured: 10,000 items take over an hour), and either may delete an item first.
// Rules copied from "Using time to live (TTL) in DynamoDB": a Number attribute in epoch seconds, in the past,
// and not more than five years in the past (older values are left alone). Scanning is fine in an emulator.
import {
  ConditionalCheckFailedException, DeleteItemCommand, paginateScan, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Logger } from '../log.ts';

export interface TtlTable {
  tableName: string;
  ttlAttribute: string;
  keyNames: string[];
}

export interface TtlSweeperOptions {
  client: DynamoDBClient;
  tables: TtlTable[];
  intervalMs: number;
  log: Logger;
}

export interface TtlSweeper {
  /** Sweeps every table once; resolves to the number of items deleted. */
  sweepNow(): Promise<number>;
  stop(): void;
}

const FIVE_YEARS_S = 5 * 365 * 24 * 60 * 60;

async function sweepTable(client: DynamoDBClient, table: TtlTable, nowS: number, stopped: () => boolean): Promise<number> {
  const names: Record<string, string> = { '#ttl': table.ttlAttribute };
  table.keyNames.forEach((name, index) => {
    names[`#key${index}`] = name;
  });
  const window = { ':oldest': { N: String(nowS - FIVE_YEARS_S) }, ':now': { N: String(nowS) } };
  const expired: Record<string, AttributeValue>[] = [];
  const pages = paginateScan({ client }, {
    TableName: table.tableName,
    ConsistentRead: true,
    FilterExpression: '#ttl BETWEEN :oldest AND :now',
    ProjectionExpression: Object.keys(names).join(', '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: window,
  });
  for await (const page of pages) expired.push(...(page.Items ?? []));
  let deleted = 0;
  for (const item of expired) {
    // A stopped sweeper deletes nothing more, even from a sweep already under way.
    if (stopped()) break;
    const key = Object.fromEntries(table.keyNames.map((name) => [name, item[name] as AttributeValue]));
    try {
      // The condition spares an item whose TTL was pushed forward after the scan saw it, and fails on one deleted since
      // (by DynamoDB Local's own TTL deletion, say), which the count then leaves out.
      await client.send(new DeleteItemCommand({
        TableName: table.tableName, Key: key, ConditionExpression: '#ttl BETWEEN :oldest AND :now',
        ExpressionAttributeNames: { '#ttl': table.ttlAttribute }, ExpressionAttributeValues: window,
      }));
      deleted += 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return deleted;
}

export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const { client, tables, intervalMs, log } = options;
  let running: Promise<number> | undefined;
  let stopped = false;
  const sweepNow = (): Promise<number> => {
    // One sweep at a time: a slow sweep and the next tick would otherwise delete the same items twice.
    running ??= (async () => {
      const nowS = Math.floor(Date.now() / 1000);
      let total = 0;
      for (const table of tables) total += await sweepTable(client, table, nowS, () => stopped);
      if (total > 0) log.debug(`TTL sweep deleted ${total} expired item${total === 1 ? '' : 's'}`);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    sweepNow().catch((error: unknown) => log.warn(`TTL sweep failed: ${error instanceof Error ? error.message : String(error)}`));
  }, intervalMs);
  timer.unref();
  return {
    sweepNow,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
