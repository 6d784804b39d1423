/**
 * Counts failures per key (a client address) in a fixed window: past `limit` the key is locked out
 * until its window ends, so guessing a client secret costs `limit` tries per window. In memory, per
 * instance (the route's request rate limit bounds the rest); bounded: past `maxKeys` the oldest goes.
 */
export class FailedAttemptWindow {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  lockedFor(key: string, nowMs: number): number {
    const entry = this.failures.get(key);
    if (!entry || entry.resetAt <= nowMs) return 0;
    return entry.count >= this.limit ? entry.resetAt - nowMs : 0;
  }

  fail(key: string, nowMs: number): void {
    const entry = this.failures.get(key);
    if (entry && entry.resetAt > nowMs) {
      entry.count += 1;
      return;
    }
    this.failures.delete(key);
    if (this.failures.size >= this.maxKeys) {
      const oldest = this.failures.keys().next();
      if (!oldest.done) this.failures.delete(oldest.value);
    }
    this.failures.set(key, { count: 1, resetAt: nowMs + this.windowMs });
  }

  /**
   * Takes back one failure: for a check counted as failed before it ran (so concurrent attempts cannot
   * all pass the limit while their checks are in flight) that then succeeded.
   */
  forgive(key: string, nowMs: number): void {
    const entry = this.failures.get(key);
    if (entry && entry.resetAt > nowMs && entry.count > 0) entry.count -= 1;
  }
}
