/**
 * Headers that describe one hop, not the message (RFC 9110 §7.6.1), plus those the next hop
 * recomputes: host (the upstream's own) and content-length (fetch sets it from the body).
 */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
]);

/**
 * The headers a delivery is relayed with: every header as received (VAPI's signature, timestamp,
 * secret, authorization, content type, and any `server.headers` the team configured), in order and
 * with repeats, minus hop-by-hop ones and those the Connection header names.
 */
export function forwardableHeaders(rawHeaders: readonly string[]): Headers {
  const named = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'connection') {
      for (const token of (rawHeaders[i + 1] ?? '').split(',')) named.add(token.trim().toLowerCase());
    }
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const lower = name.toLowerCase();
    if (NOT_FORWARDED.has(lower) || named.has(lower)) continue;
    headers.append(name, rawHeaders[i + 1] as string);
  }
  return headers;
}
