import type { SupabaseClient } from '@supabase/supabase-js';
import { hashReadKey, looksLikeReadKey } from '../lib/credentials.ts';
import { ExpiringPromiseCache } from '../lib/expiring-promise-cache.ts';
import { resolveReadKey } from './read-key-service.ts';

export type ResolvedReadKey = { keyId: string; sourceIds: string[]; mayWrite: boolean } | null;

/**
 * Read keys resolved to their scope, kept in memory for `ttlMs` keyed by the key's sha256 (the key
 * itself is never held), so a client polling with a read key costs one lookup per window, not one per
 * request. The cost of the window: revoking or expiring a key takes effect on this instance up to
 * `ttlMs` later. Unknown keys are remembered too, in a bounded map (oldest out past `maxEntries`);
 * a failed lookup is not kept. `ttlMs` 0 turns caching off.
 */
export class ReadKeyCache {
  private readonly cache: ExpiringPromiseCache<string, ResolvedReadKey>;

  constructor(
    private readonly db: SupabaseClient,
    ttlMs: number,
    maxEntries = 10_000,
  ) {
    this.cache = new ExpiringPromiseCache(ttlMs, maxEntries);
  }

  resolve(token: string, now = Date.now()): Promise<ResolvedReadKey> {
    if (!looksLikeReadKey(token)) return Promise.resolve(null);
    return this.cache.get(hashReadKey(token), now, () => resolveReadKey(this.db, token, new Date(now)));
  }
}
