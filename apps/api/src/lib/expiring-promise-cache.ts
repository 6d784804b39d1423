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
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value;
    const value = load();
    if (this.ttlMs <= 0) return value;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }
}
