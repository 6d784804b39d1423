import type { SupabaseClient } from '@supabase/supabase-js';
import type { SecretBox } from '../lib/secret-box.ts';
import type { WebhookAuthSettings } from '../lib/verify-vapi-signature.ts';
import { findActiveSourceVerification } from './source-service.ts';

interface Entry {
  settings: Promise<WebhookAuthSettings | null>;
  expiresAt: number;
}

/**
 * Each source's verification settings, kept in memory for `ttlMs` so a burst of deliveries costs one
 * query and one decryption per source, not one per delivery. The cost of the window: a disabled
 * source, a rotation or an expired overlap takes effect on this instance up to `ttlMs` later. Concurrent
 * misses share one load; a failed load is not kept. Unknown ids are remembered too (a flood of made-up
 * ids cannot hit the database), so the map is bounded: past `maxEntries` the oldest entry goes.
 * `ttlMs` 0 turns caching off.
 */
export class SourceVerificationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: SupabaseClient,
    private readonly box: SecretBox,
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(sourceId: string, now = Date.now()): Promise<WebhookAuthSettings | null> {
    const cached = this.entries.get(sourceId);
    if (cached && cached.expiresAt > now) return cached.settings;
    const settings = findActiveSourceVerification(this.db, this.box, sourceId, new Date(now));
    if (this.ttlMs <= 0) return settings;
    this.entries.delete(sourceId);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(sourceId, { settings, expiresAt: now + this.ttlMs });
    settings.catch(() => {
      if (this.entries.get(sourceId)?.settings === settings) this.entries.delete(sourceId);
    });
    return settings;
  }
}
