// The table as the chat function reaches it: the document client and the one error it expects (a failed condition).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** `capture` wraps the low-level client for tracing (Tracer.captureAWSv3Client); identity when tracing is off. */
export function createDocumentClient(capture: (client: DynamoDBClient) => DynamoDBClient = (client) => client): DynamoDBDocumentClient {
  // The endpoint comes from AWS_ENDPOINT_URL_DYNAMODB when set (the sandbox), else the region's.
  return DynamoDBDocumentClient.from(capture(new DynamoDBClient({})), { marshallOptions: { removeUndefinedValues: true } });
}

/** By name, so a second copy of the SDK in the bundle can't break `instanceof`. */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Counts the writes of one reply (the bench reads the total from the final log line). */
export class WriteCounter {
  count = 0;
  add(): void {
    this.count += 1;
  }
}
