// DynamoDB Local for the sandbox and the tests: the Java process (java.ts, re-exported here so one import gives both)
// and the clients that reach it, with the credentials its tables are partitioned by.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export * from './java.ts';

/** Tables are partitioned by access key and region: every client of the sandbox must use these. */
export const sandboxCredentials = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
} as const;

/** A client of DynamoDB Local; another access key id reaches another set of tables (letters and digits only). */
export function dynamoDbClient(endpoint: string, accessKeyId: string = sandboxCredentials.credentials.accessKeyId): DynamoDBClient {
  return new DynamoDBClient({ ...sandboxCredentials, credentials: { ...sandboxCredentials.credentials, accessKeyId }, endpoint });
}
