import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminAuth, buildAdminTestApp, createScopedReadKey, createTestSource } from '../../support/admin.ts';
import { TEST_API_KEY, type TestApp } from '../../support/test-app.ts';

const FAILURE_LIMIT = 20;
const READ_LIMIT = 5;
/** Used by one test alone, so its count starts at zero. */
const VARIANT_KEY = 'cb_variant_key_0123456789';

let app: TestApp;
let readKey: string;
let lookups: string[];
beforeAll(async () => {
  app = await buildAdminTestApp({
    AUTH_FAILURE_RATE_LIMIT_PER_MINUTE: String(FAILURE_LIMIT),
    READ_RATE_LIMIT_PER_MINUTE: String(READ_LIMIT),
    API_KEYS: `${TEST_API_KEY},${VARIANT_KEY}`,
  });
  const source = await createTestSource(app);
  readKey = (await createScopedReadKey(app, [source.id])).key;
  // Counts the real queries for read keys: every one goes to Postgres through PostgREST.
  const from = app.supabase.from.bind(app.supabase);
  vi.spyOn(app.supabase, 'from').mockImplementation((table: string) => {
    if (table === 'api_read_keys') lookups.push(table);
    return from(table);
  });
});
afterAll(() => app?.close());

let ipCounter = 0;
/** A fresh client address for each call: what a flood from many machines looks like. */
const nextIp = () => {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};
const randomReadKey = () => `cbk_${randomBytes(24).toString('base64url')}`;

function read(authorization: string | undefined, remoteAddress: string) {
  return app.inject({
    method: 'GET',
    url: '/api/v1/vapi/calls?limit=1',
    remoteAddress,
    headers: authorization === undefined ? {} : { authorization },
  });
}

async function inBatches(count: number, send: (index: number) => Promise<{ statusCode: number }>) {
  const statuses: number[] = [];
  for (let index = 0; index < count; index += 100) {
    const batch = Array.from({ length: Math.min(100, count - index) }, (_, offset) => send(index + offset));
    statuses.push(...(await Promise.all(batch)).map((response) => response.statusCode));
  }
  return statuses;
}

const tally = (statuses: number[]) =>
  statuses.reduce<Record<number, number>>((counts, status) => {
    counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }, {});

afterEach(() => {
  lookups = [];
});

describe('a flood of made-up read keys', () => {
  it('is refused per client after the failure limit, 429 with Retry-After, and costs no lookup past it', async () => {
    lookups = [];
    const attacker = nextIp();
    const statuses = await inBatches(2000, () => read(`Bearer ${randomReadKey()}`, attacker));
    expect(tally(statuses)).toEqual({ 401: FAILURE_LIMIT, 429: 2000 - FAILURE_LIMIT });
    expect(lookups).toHaveLength(FAILURE_LIMIT);

    const refused = await read(`Bearer ${randomReadKey()}`, attacker);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ success: false, error: 'Too Many Requests' });
    // Missing and malformed credentials count the same.
    expect((await read(undefined, attacker)).statusCode).toBe(429);
    expect((await read('Basic Zm9vOmJhcg==', attacker)).statusCode).toBe(429);

    // Others are not affected.
    expect((await read(`Bearer ${readKey}`, nextIp())).statusCode).toBe(200);
    expect((await read(`Bearer ${TEST_API_KEY}`, nextIp())).statusCode).toBe(200);
  });

  it('remembers an unknown key as unknown: the same made-up key from many clients costs one lookup', async () => {
    lookups = [];
    const token = randomReadKey();
    const statuses = await inBatches(50, () => read(`Bearer ${token}`, nextIp()));
    expect(tally(statuses)).toEqual({ 401: 50 });
    expect(lookups).toHaveLength(1);
  });

  it('a revoked key is remembered as refused too, and stays refused', async () => {
    const source = await createTestSource(app);
    const key = await createScopedReadKey(app, [source.id]);
    expect((await read(`Bearer ${key.key}`, nextIp())).statusCode).toBe(200);
    const revoked = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/read-keys/${key.id}/revoke`,
      headers: adminAuth,
    });
    expect(revoked.statusCode).toBeLessThan(300);
    // The positive entry lives for READ_KEY_CACHE_MS (10 s by default): the bound docs/operations.md states.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10_001 });
    try {
      lookups = [];
      const statuses = await inBatches(20, () => read(`Bearer ${key.key}`, nextIp()));
      expect(tally(statuses)).toEqual({ 401: 20 });
      expect(lookups).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a valid key keeps its limit', () => {
  it('is not evicted by thousands of failing requests from thousands of addresses', async () => {
    const client = nextIp();
    const statuses = await inBatches(READ_LIMIT + 1, () => read(`Bearer ${readKey}`, client));
    expect(statuses.at(-1)).toBe(429);

    // More clients than @fastify/rate-limit's in-memory store holds (5000), each with junk.
    const junk = await inBatches(6000, (index) =>
      read(index % 10 === 0 ? `Bearer ${randomReadKey()}` : `Bearer junk-${index}`, nextIp()),
    );
    expect(new Set(junk)).toEqual(new Set([401]));

    expect((await read(`Bearer ${readKey}`, client)).statusCode).toBe(429);
    expect((await read(`Bearer ${readKey}`, nextIp())).statusCode).toBe(429);
  });

  it('cannot shed its limit by varying how it writes the Authorization header, or by changing address', async () => {
    const variants = [
      `Bearer ${VARIANT_KEY}`,
      `bearer ${VARIANT_KEY}`,
      `BEARER    ${VARIANT_KEY}`,
      `Bearer ${VARIANT_KEY}   `,
      `Bearer\t${VARIANT_KEY}`,
    ];
    const statuses = [];
    for (const [index, authorization] of [...variants, ...variants].entries()) {
      statuses.push((await read(authorization, `192.0.2.${index + 1}`)).statusCode);
    }
    expect(statuses).toEqual([...Array(READ_LIMIT).fill(200), ...Array(READ_LIMIT).fill(429)]);
  });
});
