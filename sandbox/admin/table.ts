// The product's table, as the test kit reads and writes it: the one table the API's DynamoDB data sources name, with
// the keys of resolvers/keys.ts (docs/architecture.md, "Data model"). A template whose API names no table, or several,
// has no kit table: the state helpers that need one say so.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiModel } from '../template/model.ts';

export interface KitTable {
  db: DynamoDBDocumentClient;
  name: string;
}

export class AdminError extends Error {
  override readonly name = 'AdminError';

  constructor(readonly errorType: 'ValidationError' | 'NotFound' | 'Conflict' | 'StandInOff' | 'NoTable', message: string, readonly status: number) {
    super(message);
  }
}

/** The table the API's DynamoDB data sources name, when they name exactly one. */
export function kitTable(api: ApiModel, client: DynamoDBClient): KitTable | null {
  const names = new Set([...api.dataSources.values()].flatMap((source) => (source.type === 'AMAZON_DYNAMODB' && source.tableName !== undefined ? [source.tableName] : [])));
  const [name] = names;
  return names.size === 1 && name !== undefined ? { db: DynamoDBDocumentClient.from(client), name } : null;
}

export function requireTable(table: KitTable | null): KitTable {
  if (table === null) throw new AdminError('NoTable', 'the API of this template does not name exactly one DynamoDB table: the state helpers work on the product\'s one table', 409);
  return table;
}

type Key = Record<string, string>;

/** Every item of `keys` that exists (BatchGetItem, 100 keys a call, unprocessed keys asked again), with `attributes` only. */
export async function getItems(table: KitTable, keys: readonly Key[], attributes: readonly string[]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const names = Object.fromEntries(attributes.map((name, index) => [`#a${index}`, name]));
  const projection = Object.keys(names).join(', ');
  for (let at = 0; at < keys.length; at += 100) {
    let pending: Key[] = keys.slice(at, at + 100);
    while (pending.length > 0) {
      const request = { Keys: pending, ProjectionExpression: projection, ExpressionAttributeNames: names, ConsistentRead: true };
      const answer = await table.db.send(new BatchGetCommand({ RequestItems: { [table.name]: request } }));
      items.push(...(answer.Responses?.[table.name] ?? []));
      pending = (answer.UnprocessedKeys?.[table.name]?.Keys ?? []) as Key[];
    }
  }
  return items;
}
