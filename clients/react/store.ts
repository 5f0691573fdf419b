// The shape every store here has, the one React's useSyncExternalStore reads: subscribe(listener) returns an
// unsubscribe, getSnapshot() returns the same object until something changed. Framework-free; the hooks (hooks.ts) are
// a thin layer on it.

export type Listener = () => void;

export abstract class SnapshotStore<S extends object> {
  private readonly listeners = new Set<Listener>();
  private current: S;

  protected constructor(initial: S) {
    this.current = initial;
  }

  /** Adds a listener, called after every change; the first one starts the store's work (active()). */
  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.active();
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      // React subscribes, unsubscribes and subscribes again within one commit (StrictMode, a changed store): only a
      // store still without listeners once that has run goes idle.
      queueMicrotask(() => {
        if (this.listeners.size === 0) this.idle();
      });
    };
  };

  /** The current state: a new object after each change, the same one otherwise. */
  readonly getSnapshot = (): S => this.current;

  /** How many listeners are subscribed now. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The first listener arrived. */
  protected active(): void {}

  /** The last listener left (and none came back in the same turn). */
  protected idle(): void {}

  protected set(change: Partial<S>): void {
    this.current = { ...this.current, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
