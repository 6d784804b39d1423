interface Entry<Value> {
  value: Promise<Value>;
  expiresAt: number;
}

/**
 * Loads kept in memory for `ttlMs`: concurrent misses share one load, a failed load is not kept, and
 * the map is bounded (past `maxEntries` the oldest entry goes), so even answers for unknown keys can be
 * remembered. `ttlMs` 0 turns caching off.
 */
export class ExpiringPromiseCache<Key, Value> {
  private readonly entries = new Map<Key, Entry<Value>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: Key, now: number, load: () => Promise<Value>): Promise<Value> {
    return this.peek(key, now) ?? this.set(key, now, load());
  }

  /** The cached value while it is fresh, without loading. */
  peek(key: Key, now: number): Promise<Value> | undefined {
    const cached = this.entries.get(key);
    return cached && cached.expiresAt > now ? cached.value : undefined;
  }

  set(key: Key, now: number, value: Promise<Value>): Promise<Value> {
    if (this.ttlMs <= 0) return value;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    value.catch(() => this.delete(key, value));
    return value;
  }

  /** Forgets the key (only while it still holds `value`, when given). */
  delete(key: Key, value?: Promise<Value>): void {
    if (value === undefined || this.entries.get(key)?.value === value) this.entries.delete(key);
  }
}
