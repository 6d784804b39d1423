import { isIP } from 'node:net';

/** What Fastify's `trustProxy` takes: every hop, none, the last N hops, or the proxies' addresses. */
export type TrustProxy = boolean | number | string[];

/** proxy-addr's names for whole ranges (loopback 127.0.0.1/8 and ::1, linklocal, uniquelocal). */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: `true`/`false`, a hop count (`1`: the address the nearest proxy saw is the client), or
 * a comma-separated list of proxy addresses and CIDR ranges. `true` trusts every X-Forwarded-For
 * entry, so a client can name any address it likes: prefer a hop count or the proxies' ranges.
 * Returns undefined for a value that is none of these.
 */
export function parseTrustProxy(value: string): TrustProxy | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false' || text === '') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.length > 0 && entries.every(isAddressOrRange) ? entries : undefined;
}

/**
 * The value for Fastify's `trustProxy`. Fastify 5.12 treats a bare number as "trust nothing" (a hop
 * count cannot tell a proxy from a client that reaches the server directly), so a count becomes the
 * function proxy-addr applies per hop: the nearest `count` hops are trusted, the entry before them is
 * the client, and anything a client wrote further left is ignored. Only safe when the server can be
 * reached through those proxies alone.
 */
export function fastifyTrustProxy(
  value: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value;
  const count = value;
  return (_address, hop) => hop < count;
}
