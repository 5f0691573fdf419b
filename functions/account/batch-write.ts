// BatchWriteItem until every request is processed. DynamoDB may return some as UnprocessedItems under load; they are
// sent again after an exponential backoff with full jitter, as "BatchWriteItem" (UnprocessedItems) and "Retry behavior"
// in the AWS SDKs and Tools reference ask, never in a tight loop.
import type { BatchWriteCommandInput, BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { setTimeout as delay } from 'node:timers/promises';

export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export interface BatchWriter {
  send(input: BatchWriteCommandInput): Promise<BatchWriteCommandOutput>;
  /** Waits between attempts; default a real timer. */
  wait?: (ms: number) => Promise<unknown>;
  /** In [0, 1); default Math.random. */
  random?: () => number;
}

const BASE_MS = 50;
const CAP_MS = 5_000;
/** Attempts before the remaining requests are given up on with an error. */
export const MAX_ATTEMPTS = 8;

/** Full jitter: a random wait up to min(cap, base * 2^retry). */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(CAP_MS, BASE_MS * 2 ** retry));
}

export async function writeAll(table: string, requests: WriteRequest[], writer: BatchWriter): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt === MAX_ATTEMPTS) throw new Error(`${pending.length} writes to ${table} still unprocessed after ${MAX_ATTEMPTS} attempts`);
    if (attempt > 0) await (writer.wait ?? delay)(backoffMs(attempt, writer.random));
    const result = await writer.send({ RequestItems: { [table]: pending } });
    pending = result.UnprocessedItems?.[table] ?? [];
  }
}
