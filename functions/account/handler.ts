// The account function: work AppSync's resolvers can't do in one data source call.
// - endAllSessions (invoked synchronously by endAllDeviceSessions): delete every device session of
//   the user, then Cognito's AdminUserGlobalSignOut, which revokes their refresh tokens everywhere.
// - deleteMessages (invoked as an Event by deleteConversation): delete a conversation's messages.
import { AdminUserGlobalSignOutCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { messagesPk, SESSION_PREFIX, userPk } from '../../resolvers/keys.ts';
import { writeAll, type BatchWriter } from './batch-write.ts';

const logger = new Logger({ serviceName: 'account' });
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const cognito = new CognitoIdentityProviderClient({});
const writer: BatchWriter = { send: (input) => documents.send(new BatchWriteCommand(input)) };

export type AccountEvent =
  | { action: 'endAllSessions'; owner: string; username: string }
  | { action: 'deleteMessages'; owner: string; conversationId: string };

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Deletes every item of a partition (optionally under a sort key prefix), 25 at a time. */
async function deletePartition(table: string, pk: string, prefix: string | null): Promise<number> {
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new QueryCommand({
      TableName: table,
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: prefix ? { ':pk': pk, ':prefix': prefix } : { ':pk': pk },
      ProjectionExpression: 'pk, sk',
      ExclusiveStartKey: start,
    }));
    const keys = (page.Items ?? []) as { pk: string; sk: string }[];
    for (let i = 0; i < keys.length; i += 25) {
      await writeAll(table, keys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: key } })), writer);
    }
    deleted += keys.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return deleted;
}

export async function handler(event: AccountEvent): Promise<unknown> {
  const table = required('TABLE_NAME');
  if (event.action === 'endAllSessions') {
    const endedSessions = await deletePartition(table, userPk(event.owner), SESSION_PREFIX);
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: required('USER_POOL_ID'), Username: event.username }));
    logger.info('ended all device sessions and signed out globally', { endedSessions });
    return { endedSessions, signedOut: true };
  }
  if (event.action === 'deleteMessages') {
    const deleted = await deletePartition(table, messagesPk(event.owner, event.conversationId), null);
    logger.info('deleted the messages of a deleted conversation', { deleted });
    return { deleted };
  }
  throw new Error(`unknown action ${JSON.stringify((event as { action?: unknown }).action)}`);
}
