/**
 * What a key may do. Admin keys (ADMIN_API_KEYS) manage sources and read keys but do not read call
 * data; read keys (API_KEYS, or scoped keys made by an admin) read calls and nothing else. The API
 * refuses each on the other's routes with 401, so one cheap request to each side tells them apart.
 */
export type KeyRole = 'read' | 'admin';

export const ROLE_PROBES = {
  admin: '/api/v1/admin/sources',
  read: '/api/v1/vapi/calls?limit=1',
} as const satisfies Record<KeyRole, string>;

/** The role the two probes' status codes reveal, or null when neither accepted the key. */
export function roleFromProbes(status: Record<KeyRole, number>): KeyRole | null {
  if (status.admin === 200) return 'admin';
  if (status.read === 200) return 'read';
  return null;
}

export class KeyCheckError extends Error {
  override name = 'KeyCheckError';
}

/**
 * Asks the API which kind of key this is. Two 401s mean the key is unknown; anything else that is not
 * a 200 (a 5xx, a 429) is a failure to check, not a verdict on the key.
 */
export async function detectKeyRole(key: string, fetcher: typeof fetch = fetch): Promise<KeyRole | null> {
  const probe = async (path: string) =>
    (await fetcher(path, { headers: { authorization: `Bearer ${key}` } })).status;
  const [admin, read] = await Promise.all([probe(ROLE_PROBES.admin), probe(ROLE_PROBES.read)]);
  const role = roleFromProbes({ admin, read });
  if (role) return role;
  const unexpected = [admin, read].find((status) => status !== 401 && status !== 404);
  if (unexpected !== undefined) throw new KeyCheckError(`Callbridge answered ${unexpected}`);
  return null;
}
