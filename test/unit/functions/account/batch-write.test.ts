// The account function's batch deletes: unprocessed items are sent again after a growing, jittered wait, and a batch
// DynamoDB keeps refusing ends in an error. DynamoDB Local never returns UnprocessedItems, so `send` here answers as
// DynamoDB does under throttling (the documented UnprocessedItems shape of "BatchWriteItem").
import { describe, expect, it } from '@jest/globals';
import type { BatchWriteCommandInput, BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { backoffMs, MAX_ATTEMPTS, writeAll, type WriteRequest } from '../../../../functions/account/batch-write.ts';

const TABLE = 'Chat';
const request = (n: number): WriteRequest => ({ DeleteRequest: { Key: { pk: 'USER#a', sk: `SESSION#${n}` } } });

/** DynamoDB under load: leaves the last `unprocessed[i]` requests of call i unprocessed. */
function throttled(unprocessed: number[]): { send: (input: BatchWriteCommandInput) => Promise<BatchWriteCommandOutput>; sent: number[] } {
  const sent: number[] = [];
  return {
    sent,
    send: (input) => {
      const items = input.RequestItems?.[TABLE] ?? [];
      const left = unprocessed[sent.length] ?? 0;
      sent.push(items.length);
      return Promise.resolve({ UnprocessedItems: left > 0 ? { [TABLE]: items.slice(items.length - left) } : {}, $metadata: {} });
    },
  };
}

describe('writeAll', () => {
  it('sends unprocessed items again, waiting longer before each retry', async () => {
    // Arrange
    const dynamodb = throttled([10, 4, 0]);
    const waits: number[] = [];

    // Act
    await writeAll(TABLE, Array.from({ length: 25 }, (_, n) => request(n)), { send: dynamodb.send, wait: (ms) => Promise.resolve(waits.push(ms)), random: () => 0.999 });

    // Assert
    expect(dynamodb.sent).toEqual([25, 10, 4]);
    expect(waits).toEqual([backoffMs(1, () => 0.999), backoffMs(2, () => 0.999)]);
    expect(waits[1]).toBeGreaterThan(waits[0] ?? Infinity);
  });

  it('gives up with an error naming what is left when DynamoDB keeps refusing', async () => {
    const dynamodb = throttled(Array.from({ length: MAX_ATTEMPTS }, () => 3));

    const outcome = writeAll(TABLE, [request(1), request(2), request(3)], { send: dynamodb.send, wait: () => Promise.resolve() });

    await expect(outcome).rejects.toThrow(`3 writes to ${TABLE} still unprocessed after ${MAX_ATTEMPTS} attempts`);
    expect(dynamodb.sent).toHaveLength(MAX_ATTEMPTS);
  });

  it('caps the wait at 5 s however many retries', () => {
    expect(backoffMs(30, () => 0.999)).toBeLessThan(5_000);
  });
});
