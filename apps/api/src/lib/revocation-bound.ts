/**
 * How late a revoked, expired or rescoped read key can still be served, stated once for the API's
 * texts: each instance keeps a resolved key for READ_KEY_CACHE_MS, and an open calls stream looks its
 * key up again (past the cache) that often, at least a second apart.
 */
export function streamKeyCheckMs(readKeyCacheMs: number): number {
  return Math.max(readKeyCacheMs, 1000);
}

export function revocationBound(readKeyCacheMs: number): string {
  return `${streamKeyCheckMs(readKeyCacheMs) / 1000} s`;
}
