import type { SignedDelivery } from '../lib/verify-vapi-signature.ts';

export interface RecentSignaturesOptions {
  /** WEBHOOK_RECENT_SIGNATURES_MAX: past this, the oldest reservation is dropped first. */
  maxEntries: number;
  now?: () => number;
}

/**
 * Signed deliveries received inside their timestamp window, so the same signed bytes sent again are
 * refused while the signature would still verify. VAPI sends the same bytes twice only when retrying
 * after a non-2xx; the route forgets a reservation whenever it does not answer 2xx, so such a retry
 * passes. Keyed by source and signature; each entry lives until its window closes.
 *
 * Memory is one entry per authentic delivery in the window (~200 bytes), at most `maxEntries`: only
 * deliveries that verified are remembered, so junk traffic cannot fill it. Per process: instances
 * behind a load balancer do not share it (a replay sent to another instance is not caught there).
 */
export class RecentSignatures {
  /** Insertion order, which is close to expiry order: the tolerance is the same for every entry of a source. */
  private readonly entries = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: RecentSignaturesOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Remembers the delivery; false when it was already received and its window is still open. */
  reserve(sourceKey: string, signed: SignedDelivery): boolean {
    const now = this.now();
    this.sweep(now);
    const key = `${sourceKey}:${signed.signature}`;
    const until = this.entries.get(key);
    if (until !== undefined && until > now) return false;
    this.entries.delete(key);
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, signed.untilMs);
    return true;
  }

  /** Lets the same delivery in again: it was not stored, and VAPI may retry it. */
  forget(sourceKey: string, signed: SignedDelivery): void {
    this.entries.delete(`${sourceKey}:${signed.signature}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries from the front; a few per call keeps each call cheap. */
  private sweep(now: number): void {
    let budget = 64;
    for (const [key, until] of this.entries) {
      if (until > now || budget-- === 0) return;
      this.entries.delete(key);
    }
  }
}
