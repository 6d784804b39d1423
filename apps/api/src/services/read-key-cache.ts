import type { SupabaseClient } from '@supabase/supabase-js';
import { hashReadKey, looksLikeReadKey } from '../lib/credentials.ts';
import { ExpiringPromiseCache } from '../lib/expiring-promise-cache.ts';
import { resolveReadKey } from './read-key-service.ts';

export type ResolvedReadKey = { keyId: string; sourceIds: string[]; mayWrite: boolean } | null;

/** Unknown, revoked and expired keys are remembered this long at most: long enough to absorb a retry loop. */
const MAX_UNKNOWN_TTL_MS = 5000;

/**
 * Read keys resolved to their scope, kept in memory for `ttlMs` keyed by the key's sha256 (the key
 * itself is never held), so a client polling with a read key costs one lookup per window, not one per
 * request. The cost of the window: revoking or expiring a key takes effect on this instance up to
 * `ttlMs` later. Unknown keys are remembered apart, for a shorter time and in their own bounded map,
 * so a flood of made-up tokens cannot push the real keys out. A failed lookup is not kept. `ttlMs` 0
 * turns caching off.
 */
export class ReadKeyCache {
  private readonly known: ExpiringPromiseCache<string, ResolvedReadKey>;
  private readonly unknown: ExpiringPromiseCache<string, ResolvedReadKey>;
  /** Lookups in flight, shared by concurrent requests with the same key; kept apart from `known`. */
  private readonly pending = new Map<string, Promise<ResolvedReadKey>>();

  constructor(
    private readonly db: SupabaseClient,
    ttlMs: number,
    maxEntries = 10_000,
  ) {
    this.known = new ExpiringPromiseCache(ttlMs, maxEntries);
    this.unknown = new ExpiringPromiseCache(Math.min(ttlMs, MAX_UNKNOWN_TTL_MS), maxEntries);
  }

  resolve(token: string, now = Date.now()): Promise<ResolvedReadKey> {
    const cached = this.peek(token, now);
    if (cached) return cached;
    const hash = hashReadKey(token);
    const loading = resolveReadKey(this.db, token, new Date(now));
    this.pending.set(hash, loading);
    void loading
      .then(
        (resolved) => {
          (resolved ? this.known : this.unknown).set(hash, now, loading);
        },
        () => undefined,
      )
      .finally(() => {
        if (this.pending.get(hash) === loading) this.pending.delete(hash);
      });
    return loading;
  }

  /** What the cache holds for this token, without a lookup: undefined when it must be looked up. */
  peek(token: string, now = Date.now()): Promise<ResolvedReadKey> | undefined {
    if (!looksLikeReadKey(token)) return Promise.resolve(null);
    const hash = hashReadKey(token);
    return this.unknown.peek(hash, now) ?? this.known.peek(hash, now) ?? this.pending.get(hash);
  }

  /** Looks the key up now, past the cache (an open stream's periodic re-check), and keeps the answer. */
  refresh(token: string, now = Date.now()): Promise<ResolvedReadKey> {
    if (!looksLikeReadKey(token)) return Promise.resolve(null);
    const hash = hashReadKey(token);
    this.known.delete(hash);
    this.unknown.delete(hash);
    this.pending.delete(hash);
    return this.resolve(token, now);
  }
}
