// A reply whose chat function died is never stuck: past its lease, readers see it INTERRUPTED.
import { util } from '@aws-appsync/utils';

export const INTERRUPTED_REASON = 'The reply stopped unexpectedly and will not continue. The text so far is kept; you can regenerate it.';

export interface LeasedMessage {
  status: string;
  leaseUntil?: number | null;
  error?: string | null;
}

export function isLive(message: LeasedMessage): boolean {
  return message.status === 'PENDING' || message.status === 'STREAMING';
}

/** The message as a reader should see it now. */
export function withLease<T extends LeasedMessage>(message: T): T {
  if (isLive(message) && (message.leaseUntil ?? 0) < util.time.nowEpochMilliSeconds()) {
    return { ...message, status: 'INTERRUPTED', error: INTERRUPTED_REASON };
  }
  return message;
}
