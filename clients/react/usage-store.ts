// Today's token usage and the daily quota (ChatApi.usage; docs/architecture.md, "Limits and quotas"), read when the
// first listener subscribes and again whenever a reply ends or a turn is refused with QuotaExceeded.
import type { ChatApi, DailyUsage } from '../kit/index.ts';
import { chatError, type ChatError } from './errors.ts';
import { SnapshotStore } from './store.ts';

export interface UsageSnapshot {
  /** Today's usage (UTC), with `quota` and `remaining`; null until read. */
  usage: DailyUsage | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ChatError | null;
}

export class UsageStore extends SnapshotStore<UsageSnapshot> {
  private reads = 0;

  constructor(private readonly api: Pick<ChatApi, 'usage'>) {
    super({ usage: null, status: 'idle', error: null });
  }

  /** Reads today's usage; a read started later wins over one still running. Never rejects: failures are in `error`. */
  readonly refresh = async (): Promise<DailyUsage | null> => {
    const read = ++this.reads;
    this.set({ status: 'loading' });
    try {
      const usage = await this.api.usage();
      if (read === this.reads) this.set({ usage, status: 'ready', error: null });
      return usage;
    } catch (error) {
      if (read === this.reads) this.set({ status: 'error', error: chatError('usage', error) });
      return null;
    }
  };

  /** Reads again if anyone has read or is watching: a reply ended, or a turn was refused. */
  changed(): void {
    if (this.listenerCount > 0 || this.getSnapshot().status !== 'idle') void this.refresh();
  }

  protected override active(): void {
    if (this.getSnapshot().status === 'idle') void this.refresh();
  }
}
