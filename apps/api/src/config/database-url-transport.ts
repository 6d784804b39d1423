/**
 * How a DATABASE_URL reaches Postgres: over TLS (`sslmode=require|verify-ca|verify-full`), to this
 * machine (loopback, a Unix socket), plaintext by explicit choice (`sslmode=disable`), or — the one to
 * refuse in production — plaintext by default to another host, where passwords and call data would
 * cross the network readable.
 */
export type DatabaseTransport = 'tls' | 'local' | 'plaintext-chosen' | 'plaintext-remote';

const TLS_MODES = new Set(['require', 'verify-ca', 'verify-full']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '']);

export function databaseUrlTransport(databaseUrl: string): DatabaseTransport {
  const url = URL.parse(databaseUrl);
  if (!url) return 'plaintext-remote';
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode && TLS_MODES.has(sslmode)) return 'tls';
  if (url.searchParams.get('ssl') === 'true' || url.searchParams.get('ssl') === '1') return 'tls';
  const host = decodeURIComponent(url.hostname).toLowerCase();
  const socketDir = url.searchParams.get('host');
  if (LOCAL_HOSTS.has(host) || host.startsWith('127.') || socketDir?.startsWith('/')) return 'local';
  if (sslmode === 'disable') return 'plaintext-chosen';
  return 'plaintext-remote';
}
