import type { SupabaseClient } from '@supabase/supabase-js';
import { hashReadKey, looksLikeReadKey } from '../lib/credentials.ts';
import { resolveReadKey } from './read-key-service.ts';

export type ResolvedReadKey = { keyId: string; sourceIds: string[] } | null;

interface Entry {
  resolved: Promise<ResolvedReadKey>;
  expiresAt: number;
}

/**
 * Read keys resolved to their scope, kept in memory for `ttlMs` keyed by the key's sha256 (the key
 * itself is never held), so a client polling with a read key costs one lookup per window, not one per
 * request. The cost of the window: revoking or expiring a key takes effect on this instance up to
 * `ttlMs` later. Unknown keys are remembered too, in a bounded map (oldest out past `maxEntries`);
 * a failed lookup is not kept. `ttlMs` 0 turns caching off.
 */
export class ReadKeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: SupabaseClient,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  resolve(token: string, now = Date.now()): Promise<ResolvedReadKey> {
    if (!looksLikeReadKey(token)) return Promise.resolve(null);
    const hash = hashReadKey(token);
    const cached = this.entries.get(hash);
    if (cached && cached.expiresAt > now) return cached.resolved;
    const resolved = resolveReadKey(this.db, token, new Date(now));
    if (this.ttlMs <= 0) return resolved;
    this.entries.delete(hash);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(hash, { resolved, expiresAt: now + this.ttlMs });
    resolved.catch(() => {
      if (this.entries.get(hash)?.resolved === resolved) this.entries.delete(hash);
    });
    return resolved;
  }
}
