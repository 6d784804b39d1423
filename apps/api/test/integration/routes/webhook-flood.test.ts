import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents } from '../../support/database.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const VAPI_IP = '203.0.113.10';
const ATTACKER_IP = '198.51.100.66';
const PROXY_IP = '10.0.0.1';
const UNVERIFIED_LIMIT = 5;

type Via = { remoteAddress: string; forwardedFor?: string };

function signed(callId = uniqueCallId()) {
  const body = JSON.stringify(vapiFixture('hang', callId));
  return { body, headers: vapiHmacHeaders(body), callId };
}

function post(app: TestApp, via: Via, body: string, headers: Record<string, string>) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/vapi/webhook',
    remoteAddress: via.remoteAddress,
    payload: body,
    headers: {
      ...headers,
      'content-type': 'application/json',
      ...(via.forwardedFor ? { 'x-forwarded-for': via.forwardedFor } : {}),
    },
  });
}

/** What an attacker sends: a real-looking body, signed with the wrong secret, or not signed at all. */
function junk(app: TestApp, via: Via, index: number) {
  const { body, headers } = signed();
  if (index % 2 === 0) return post(app, via, body, { 'x-timestamp': headers['x-timestamp'] ?? '' });
  return post(app, via, body, vapiHmacHeaders(body, { secret: 'guessed-secret-0123456789' }));
}

async function flood(app: TestApp, via: Via, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index += 50) {
    const batch = Array.from({ length: Math.min(50, count - index) }, (_, offset) =>
      junk(app, via, index + offset),
    );
    statuses.push(...(await Promise.all(batch)).map((response) => response.statusCode));
  }
  return statuses;
}

describe('junk webhooks cannot block VAPI', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE: String(UNVERIFIED_LIMIT) });
  });
  afterAll(() => app?.close());

  it('answers a flood of unsigned and wrongly signed requests from VAPI’s own address 401, then 429, and still stores every signed delivery from it', async () => {
    const via = { remoteAddress: VAPI_IP };
    const statuses = await flood(app, via, 500);
    expect(statuses.filter((status) => status === 401)).toHaveLength(UNVERIFIED_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(500 - UNVERIFIED_LIMIT);

    const refused = await junk(app, via, 1);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toMatchObject({ success: false, error: 'Too Many Requests' });

    for (let index = 0; index < 20; index++) {
      const delivery = signed();
      const response = await post(app, via, delivery.body, delivery.headers);
      expect(response.statusCode).toBe(200);
      expect(await callEvents(delivery.callId)).toHaveLength(1);
    }
  });
});

describe('junk for made-up sources', () => {
  it('counts as unverified: 404 up to the limit, then 429, and VAPI’s signed deliveries still land', async () => {
    const app = await buildTestApp({ WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE: String(UNVERIFIED_LIMIT) });
    try {
      const statuses = [];
      for (let index = 0; index < 20; index++) {
        const { body, headers } = signed();
        const response = await app.inject({
          method: 'POST',
          url: `/api/v1/vapi/sources/${crypto.randomUUID()}/webhook`,
          remoteAddress: VAPI_IP,
          payload: body,
          headers,
        });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([
        ...Array(UNVERIFIED_LIMIT).fill(404),
        ...Array(20 - UNVERIFIED_LIMIT).fill(429),
      ]);
      const delivery = signed();
      expect((await post(app, { remoteAddress: VAPI_IP }, delivery.body, delivery.headers)).statusCode).toBe(
        200,
      );
    } finally {
      await app.close();
    }
  });
});

describe('TRUST_PROXY', () => {
  it('as a hop count: a client forging X-Forwarded-For spends its own failure counter, not VAPI’s', async () => {
    const app = await buildTestApp({
      TRUST_PROXY: '1',
      WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE: String(UNVERIFIED_LIMIT),
    });
    try {
      // The attacker writes VAPI's address into the header; the proxy appends the address it saw.
      const attacker = { remoteAddress: PROXY_IP, forwardedFor: `${VAPI_IP}, ${ATTACKER_IP}` };
      const statuses = await flood(app, attacker, 100);
      expect(statuses.slice(0, UNVERIFIED_LIMIT)).toEqual(Array(UNVERIFIED_LIMIT).fill(401));
      expect(new Set(statuses.slice(UNVERIFIED_LIMIT))).toEqual(new Set([429]));
      // Another forged left-hand entry does not give the attacker a fresh counter.
      const reforged = { remoteAddress: PROXY_IP, forwardedFor: `192.0.2.99, ${ATTACKER_IP}` };
      expect((await junk(app, reforged, 0)).statusCode).toBe(429);

      const vapi = { remoteAddress: PROXY_IP, forwardedFor: VAPI_IP };
      const delivery = signed();
      expect((await post(app, vapi, delivery.body, delivery.headers)).statusCode).toBe(200);
      // VAPI's own counter is untouched: a bad request from it is still a plain 401.
      expect((await junk(app, vapi, 0)).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('as true: a forged X-Forwarded-For spends the counter of the address it names, and still cannot block a signed delivery', async () => {
    const app = await buildTestApp({
      TRUST_PROXY: 'true',
      WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE: String(UNVERIFIED_LIMIT),
    });
    try {
      const statuses = await flood(app, { remoteAddress: PROXY_IP, forwardedFor: VAPI_IP }, 50);
      expect(new Set(statuses.slice(UNVERIFIED_LIMIT))).toEqual(new Set([429]));
      const delivery = signed();
      const vapi = { remoteAddress: PROXY_IP, forwardedFor: VAPI_IP };
      expect((await junk(app, vapi, 0)).statusCode).toBe(429);
      expect((await post(app, vapi, delivery.body, delivery.headers)).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('as a CIDR list: trusts X-Forwarded-For from the listed proxies only', async () => {
    const app = await buildTestApp({
      TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32',
      WEBHOOK_UNVERIFIED_RATE_LIMIT_PER_MINUTE: '1',
    });
    try {
      // Through two trusted proxies: the client is the entry before them.
      const viaProxies = { remoteAddress: '10.0.0.1', forwardedFor: `${ATTACKER_IP}, 10.0.0.2` };
      expect((await junk(app, viaProxies, 0)).statusCode).toBe(401);
      expect((await junk(app, viaProxies, 0)).statusCode).toBe(429);
      // The same client through another trusted proxy: the same counter.
      expect((await junk(app, { remoteAddress: '10.9.9.9', forwardedFor: ATTACKER_IP }, 0)).statusCode).toBe(
        429,
      );
      // Another client behind the proxies has its own.
      expect((await junk(app, { remoteAddress: '10.0.0.1', forwardedFor: VAPI_IP }, 0)).statusCode).toBe(401);

      // A direct client (not a listed proxy) that names the attacker or VAPI is counted as itself.
      const direct = '192.0.2.50';
      expect((await junk(app, { remoteAddress: direct, forwardedFor: '192.0.2.77' }, 0)).statusCode).toBe(
        401,
      );
      expect((await junk(app, { remoteAddress: direct, forwardedFor: '192.0.2.78' }, 0)).statusCode).toBe(
        429,
      );
      // IPv6 proxies in the list are trusted too.
      const v6 = { remoteAddress: '2001:db8::1', forwardedFor: '192.0.2.200' };
      expect((await junk(app, v6, 0)).statusCode).toBe(401);
      expect(
        (await junk(app, { remoteAddress: '10.0.0.3', forwardedFor: '192.0.2.200' }, 0)).statusCode,
      ).toBe(429);
    } finally {
      await app.close();
    }
  });
});
