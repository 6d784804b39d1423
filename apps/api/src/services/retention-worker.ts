import type { PurgeResult } from './retention-service.ts';

export interface RetentionWorkerOptions {
  intervalMs: number;
  /** Batches one tick may purge back to back while they come back full, before waiting again. */
  maxBatchesPerTick: number;
  /**
   * After a full batch, wait this many times as long as the batch took before the next: a backlog then
   * takes at most 1 / (1 + factor) of the database's time, whatever the machine, so ingest stays fast.
   */
  pauseFactor: number;
  isFull: (result: PurgeResult) => boolean;
  onPurged: (result: PurgeResult) => void;
  onError: (error: unknown) => void;
}

/**
 * Runs the retention purge in every instance, every interval. Cost model: one RPC per interval while
 * nothing is past retention; the database lock lets one instance purge while the others' calls return at
 * once. A backlog is drained a batch at a time, paced by pauseFactor, at most maxBatchesPerTick per
 * interval, so a purge never becomes one long transaction nor takes the database from the webhooks.
 */
export class RetentionWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private wakeFromPause: (() => void) | undefined;

  constructor(
    private readonly purge: () => Promise<PurgeResult>,
    private readonly options: RetentionWorkerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.tick().finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One interval's work; exposed for tests. */
  async tick(): Promise<void> {
    try {
      for (let batch = 0; batch < this.options.maxBatchesPerTick && !this.closed; batch++) {
        const started = performance.now();
        const result = await this.purge();
        this.options.onPurged(result);
        if (!result.locked || !this.options.isFull(result)) return;
        await this.pause((performance.now() - started) * this.options.pauseFactor);
      }
    } catch (error) {
      this.options.onError(error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.wakeFromPause?.();
    await this.running;
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeFromPause = done;
    }).finally(() => {
      this.wakeFromPause = undefined;
    });
  }
}
