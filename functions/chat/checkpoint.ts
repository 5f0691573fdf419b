// Every ~CHECKPOINT_MS, one UpdateItem writes the blocks and text published so far with their seq and extends the lease.
// Its returned attributes carry `stopRequested`, so a stop costs no extra read.
import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { realTimers, type Timers } from './coalescer.ts';
import type { TranscriptSnapshot } from './transcript.ts';
import { isConditionFailure, type WriteCounter } from './table.ts';

export interface MessageKey {
  pk: string;
  sk: string;
}

/**
 * The checkpoint write. `if_not_exists` puts `stopRequested` among the updated attributes, so UPDATED_NEW
 * returns it (and nothing large, such as the content) whether or not the stopReply resolver has set it.
 */
export function checkpointUpdate(tableName: string, key: MessageKey, snapshot: TranscriptSnapshot, now: number, leaseMs: number): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: key,
    UpdateExpression: 'SET content = :content, blocks = :blocks, seq = :seq, leaseUntil = :lease, updatedAt = :now, stopRequested = if_not_exists(stopRequested, :false)',
    ConditionExpression: 'attribute_exists(pk) AND #status = :streaming',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':content': snapshot.content, ':blocks': snapshot.blocks, ':seq': snapshot.seq, ':lease': now + leaseMs, ':now': new Date(now).toISOString(),
      ':false': false, ':streaming': 'STREAMING',
    },
    ReturnValues: 'UPDATED_NEW',
  };
}

export interface CheckpointOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  key: MessageKey;
  intervalMs: number;
  leaseMs: number;
  /** What has been published: read at the moment of each write. */
  snapshot(): TranscriptSnapshot;
  /** The stopReply resolver asked for a stop. */
  onStop(): void;
  /** The message is gone or no longer STREAMING (deleted, or marked interrupted): nobody reads this reply. */
  onLost(): void;
  writes: WriteCounter;
  log: { warn(message: string, extra: Record<string, unknown>): void };
  timers?: Timers;
}

export class Checkpointer {
  readonly #options: CheckpointOptions;
  readonly #timers: Timers;
  #timer: unknown;
  #inFlight: Promise<void> | undefined;
  #stopped = false;

  constructor(options: CheckpointOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
  }

  start(): void {
    this.#schedule();
  }

  /** Stops the timer and waits for a write in flight, so the final write is the last. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = undefined;
      this.#inFlight = this.#write().finally(() => {
        this.#inFlight = undefined;
        this.#schedule();
      });
    }, this.#options.intervalMs);
  }

  async #write(): Promise<void> {
    const options = this.#options;
    options.writes.add();
    try {
      const answer = await options.db.send(new UpdateCommand(checkpointUpdate(options.tableName, options.key, options.snapshot(), this.#timers.now(), options.leaseMs)));
      if (answer.Attributes?.['stopRequested'] === true) options.onStop();
    } catch (error) {
      if (isConditionFailure(error)) options.onLost();
      // A throttled or failed checkpoint is not fatal: the next one writes the same text and more.
      else options.log.warn('a checkpoint failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
