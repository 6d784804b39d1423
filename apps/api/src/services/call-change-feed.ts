import type { CallRow } from '../schemas/call-row-schema.ts';

/** Calls changed at or after a time, oldest change first, at most `limit`. */
export type ChangedCalls = (since: string, limit: number) => Promise<CallRow[]>;

export type CallChangeListener = (row: CallRow) => void;

const BATCH = 200;
/**
 * `updated_at` is set when a store's transaction starts, so a slow store can commit a row older than
 * one already seen. Each poll rereads this far back and skips versions it has already sent.
 */
const OVERLAP_MS = 5000;

/**
 * Changed calls for the live stream of one instance. One query per interval for every listener
 * together (and nothing while nobody listens); a webhook this instance stores pokes it so its change
 * is sent at once rather than at the next tick.
 */
export class CallChangeFeed {
  private readonly listeners = new Set<CallChangeListener>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private closed = false;
  /** Newest `updated_at` seen, as epoch ms; starts at the first listener. */
  private watermark = 0;
  /** call id → updated_at last sent, for rows inside the overlap window. */
  private sent = new Map<string, string>();

  constructor(
    private readonly changedCalls: ChangedCalls,
    private readonly intervalMs: number,
    private readonly onPollError: (error: unknown) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: CallChangeListener): () => void {
    if (this.listeners.size === 0) {
      this.watermark = this.now();
      this.sent.clear();
    }
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Something was stored here: look now rather than at the next tick. */
  poke(): void {
    if (this.listeners.size > 0) void this.poll();
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.stop();
  }

  /** One poll at a time; a poke during a poll runs one more right after it. */
  async poll(): Promise<void> {
    if (this.closed || this.listeners.size === 0) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        const since = new Date(this.watermark - OVERLAP_MS).toISOString();
        const rows = await this.changedCalls(since, BATCH);
        this.deliver(rows);
        // A full batch means more changes are waiting.
        if (rows.length === BATCH) this.pollAgain = true;
      } while (this.pollAgain && !this.closed && this.listeners.size > 0);
    } catch (error) {
      this.onPollError(error);
    } finally {
      this.polling = false;
    }
  }

  private deliver(rows: CallRow[]): void {
    for (const row of rows) {
      const updatedMs = Date.parse(row.updated_at);
      if (this.sent.get(row.call_id) === row.updated_at) continue;
      this.sent.set(row.call_id, row.updated_at);
      this.watermark = Math.max(this.watermark, updatedMs);
      for (const listener of this.listeners) listener(row);
    }
    const forgetBefore = this.watermark - OVERLAP_MS * 2;
    for (const [callId, updatedAt] of this.sent) {
      if (Date.parse(updatedAt) < forgetBefore) this.sent.delete(callId);
    }
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
