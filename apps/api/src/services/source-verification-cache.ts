import type { SupabaseClient } from '@supabase/supabase-js';
import { ExpiringPromiseCache } from '../lib/expiring-promise-cache.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { DeliveryAuthSettings } from '../lib/verify-delivery.ts';
import { findActiveSourceVerification } from './source-service.ts';

/**
 * Each source's verification settings, kept in memory for `ttlMs` so a burst of deliveries costs one
 * query and one decryption per source, not one per delivery. The cost of the window: a disabled
 * source, a rotation or an expired overlap takes effect on this instance up to `ttlMs` later. Concurrent
 * misses share one load; a failed load is not kept. Unknown ids are remembered too (a flood of made-up
 * ids cannot hit the database), so the map is bounded: past `maxEntries` the oldest entry goes.
 * `ttlMs` 0 turns caching off.
 */
export class SourceVerificationCache {
  private readonly cache: ExpiringPromiseCache<string, DeliveryAuthSettings | null>;

  constructor(
    private readonly db: SupabaseClient,
    private readonly box: SecretBox,
    ttlMs: number,
    maxEntries = 1000,
  ) {
    this.cache = new ExpiringPromiseCache(ttlMs, maxEntries);
  }

  get(sourceId: string, now = Date.now()): Promise<DeliveryAuthSettings | null> {
    return this.cache.get(sourceId, now, () =>
      findActiveSourceVerification(this.db, this.box, sourceId, new Date(now)),
    );
  }
}
