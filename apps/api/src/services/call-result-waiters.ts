export type WakeReason = 'notified' | 'timeout' | 'aborted' | 'closed';

/** Call ids (among those asked about) whose result is final now. */
export type FinalCheck = (callIds: string[]) => Promise<string[]>;

export interface WaiterSubscription {
  /** Resolves at the next notification for the call (at once if one came since the last call), or at the deadline. */
  next(timeoutMs: number): Promise<WakeReason>;
  close(): void;
}

interface Waiter {
  /** A notification arrived while nobody was awaiting `next`. */
  pending: boolean;
  wake?: (reason: WakeReason) => void;
}

const CHECK_BATCH_SIZE = 100;

/**
 * Long-poll waiters of one instance. A webhook stored here wakes its call's waiters at once, and so does
 * a "result final" notification from Postgres (LISTEN, see result-final-listener.ts) for a result
 * another instance stored. One batched check per interval for every waiting call together is the
 * backstop (results final by the grace period, notifications missed): hundreds of waiters cost one
 * query per interval, and nothing runs while nobody waits.
 */
export class CallResultWaiters {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private closed = false;

  constructor(
    private readonly checkFinal: FinalCheck,
    private intervalMs: number,
    private readonly onCheckError: (error: unknown) => void = () => undefined,
  ) {}

  /** How many requests are waiting, over all calls. */
  get size(): number {
    let count = 0;
    for (const set of this.waiters.values()) count += set.size;
    return count;
  }

  subscribe(callId: string, signal?: AbortSignal): WaiterSubscription {
    const waiter: Waiter = { pending: false };
    const set = this.waiters.get(callId) ?? new Set();
    set.add(waiter);
    this.waiters.set(callId, set);
    this.startChecking();

    const close = () => {
      waiter.wake?.('aborted');
      set.delete(waiter);
      if (set.size === 0 && this.waiters.get(callId) === set) this.waiters.delete(callId);
      if (this.waiters.size === 0) this.stopChecking();
    };
    signal?.addEventListener('abort', close, { once: true });

    return {
      next: (timeoutMs) => {
        if (this.closed) return Promise.resolve('closed');
        if (signal?.aborted) return Promise.resolve('aborted');
        if (waiter.pending) {
          waiter.pending = false;
          return Promise.resolve('notified');
        }
        return new Promise<WakeReason>((resolve) => {
          const timeout = setTimeout(() => waiter.wake?.('timeout'), Math.max(0, timeoutMs));
          waiter.wake = (reason) => {
            clearTimeout(timeout);
            waiter.wake = undefined;
            resolve(reason);
          };
        });
      },
      close: () => {
        signal?.removeEventListener('abort', close);
        close();
      },
    };
  }

  notify(callId: string): void {
    for (const waiter of this.waiters.get(callId) ?? []) {
      if (waiter.wake) waiter.wake('notified');
      else waiter.pending = true;
    }
  }

  /** The backstop's interval from now on: longer while notifications arrive, shorter while they cannot. */
  setCheckInterval(intervalMs: number): void {
    if (intervalMs === this.intervalMs) return;
    this.intervalMs = intervalMs;
    if (this.timer) {
      this.stopChecking();
      this.startChecking();
    }
  }

  /** One batched check now, e.g. after notifications may have been missed. Nothing when nobody waits. */
  checkNow(): Promise<void> {
    return this.waiters.size === 0 || this.closed ? Promise.resolve() : this.checkAll();
  }

  /** Releases every waiter (they answer with what is stored now) and stops checking. */
  close(): void {
    this.closed = true;
    this.stopChecking();
    for (const set of this.waiters.values()) for (const waiter of set) waiter.wake?.('closed');
  }

  private startChecking(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.checkAll(), this.intervalMs);
  }

  private stopChecking(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async checkAll(): Promise<void> {
    // A slow database must not stack up overlapping checks.
    if (this.checking) return;
    this.checking = true;
    try {
      const callIds = [...this.waiters.keys()];
      for (let start = 0; start < callIds.length; start += CHECK_BATCH_SIZE) {
        for (const callId of await this.checkFinal(callIds.slice(start, start + CHECK_BATCH_SIZE))) {
          this.notify(callId);
        }
      }
    } catch (error) {
      this.onCheckError(error);
    } finally {
      this.checking = false;
    }
  }
}
