/**
 * What a key may do. Issue 11 adds admin keys (sources, key management) next to read keys, and a way
 * to ask which one a key is; until then every key is a read key, and admin-only views stay hidden.
 */
export type KeyRole = 'read' | 'admin';

export async function detectKeyRole(_key: string): Promise<KeyRole> {
  return 'read';
}
