import { setTimeout as sleep } from 'node:timers/promises';
import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import type { SpoolJournal } from './spool-journal.ts';
import type { StoredEvent } from './store-vapi-events.ts';

export interface SpoolDrainOptions {
  /** Records per store call: one transaction each, oldest first. */
  batchSize: number;
  /** Stores records through the ingest path (same delivery ids); throws while the database is away. */
  store: (records: EventRecord[]) => Promise<StoredEvent[]>;
  /** Backoff between failed drains, doubling from min to max. */
  retryMinMs: number;
  retryMaxMs: number;
  onDrained?: (records: EventRecord[], results: StoredEvent[]) => void;
  onError?: (error: unknown) => void;
}

/**
 * Moves spooled deliveries into Postgres oldest first, one batch at a time, as soon as the database
 * answers: a batch is forgotten only after it committed, so a crash in between replays it (a no-op by
 * delivery id). Runs while the spool is not empty; `nudge` wakes it after an append.
 */
export class SpoolDrainer {
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly journal: SpoolJournal,
    private readonly options: SpoolDrainOptions,
  ) {}

  nudge(): void {
    if (this.stopping.signal.aborted) return;
    this.running ??= this.run().finally(() => {
      this.running = undefined;
      if (this.journal.depth > 0) this.nudge();
    });
  }

  /** Resolves once the spool is empty; throws when `timeoutMs` passes first (the rest stays spooled). */
  async drainAll(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.journal.depth > 0) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`${this.journal.depth} deliveries still spooled`);
      this.nudge();
      const gaveUp = new AbortController();
      await Promise.race([
        this.running,
        sleep(left, undefined, { signal: gaveUp.signal }).catch(() => undefined),
      ]);
      gaveUp.abort();
    }
  }

  private async run(): Promise<void> {
    let delayMs = this.options.retryMinMs;
    while (this.journal.depth > 0 && !this.stopping.signal.aborted) {
      const entries = this.journal.oldest(this.options.batchSize);
      try {
        const records = await this.journal.read(entries);
        const results = await this.options.store(records);
        await this.journal.markDrained(entries.length);
        this.options.onDrained?.(records, results);
        delayMs = this.options.retryMinMs;
      } catch (error) {
        this.options.onError?.(error);
        await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        delayMs = Math.min(delayMs * 2, this.options.retryMaxMs);
      }
    }
  }

  /** Stops after the batch in progress; what is left stays spooled for the next start. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }
}
