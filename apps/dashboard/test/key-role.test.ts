import { describe, expect, it } from 'vitest';
import { detectKeyRole, KeyCheckError, ROLE_PROBES, roleFromProbes } from '../src/auth/key-role.ts';

/** A fetch that answers each probe path with a fixed status and records the keys it was sent. */
function fakeFetch(statuses: Record<string, number>) {
  const seen: { path: string; authorization: string | null }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    seen.push({ path, authorization: new Headers(init?.headers).get('authorization') });
    return new Response(null, { status: statuses[path] ?? 500 });
  }) as typeof fetch;
  return { fetcher, seen };
}

describe('roleFromProbes', () => {
  it('calls a key the admin routes accept an admin key', () => {
    expect(roleFromProbes({ admin: 200, read: 401 })).toBe('admin');
  });
  it('calls a key the read routes accept a read key', () => {
    expect(roleFromProbes({ admin: 401, read: 200 })).toBe('read');
  });
  it('accepts neither when both refuse it', () => {
    expect(roleFromProbes({ admin: 401, read: 401 })).toBeNull();
  });
});

describe('detectKeyRole', () => {
  it('asks both sides with the key as a bearer token', async () => {
    const { fetcher, seen } = fakeFetch({ [ROLE_PROBES.admin]: 401, [ROLE_PROBES.read]: 200 });
    expect(await detectKeyRole('cbk_abc', fetcher)).toBe('read');
    expect(seen.map((request) => request.path).sort()).toEqual([ROLE_PROBES.admin, ROLE_PROBES.read].sort());
    expect(seen.every((request) => request.authorization === 'Bearer cbk_abc')).toBe(true);
  });

  it('finds an admin key', async () => {
    const { fetcher } = fakeFetch({ [ROLE_PROBES.admin]: 200, [ROLE_PROBES.read]: 401 });
    expect(await detectKeyRole('admin-key', fetcher)).toBe('admin');
  });

  it('rejects a key both refuse, also where the admin API is not configured (404)', async () => {
    expect(
      await detectKeyRole('nope', fakeFetch({ [ROLE_PROBES.admin]: 401, [ROLE_PROBES.read]: 401 }).fetcher),
    ).toBeNull();
    expect(
      await detectKeyRole('nope', fakeFetch({ [ROLE_PROBES.admin]: 404, [ROLE_PROBES.read]: 401 }).fetcher),
    ).toBeNull();
  });

  it('reports a server failure as a failure to check, not as a wrong key', async () => {
    const { fetcher } = fakeFetch({ [ROLE_PROBES.admin]: 401, [ROLE_PROBES.read]: 503 });
    await expect(detectKeyRole('maybe', fetcher)).rejects.toThrow(KeyCheckError);
  });
});
