import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({
    API_KEYS: `${TEST_API_KEY},other-key-0123456789`,
    READ_RATE_LIMIT_PER_MINUTE: '3',
    WEBHOOK_RATE_LIMIT_PER_MINUTE: '3',
  });
});
afterAll(() => app.close());

describe('rate limits', () => {
  it('limits each API key on the read routes, with the usual error shape and Retry-After', async () => {
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await getCall(app, 'rate-limited')).statusCode);
    expect(statuses).toEqual([404, 404, 404, 429]);

    const limited = await getCall(app, 'rate-limited');
    expect(limited.json()).toMatchObject({ success: false, error: 'Too Many Requests' });
    expect(limited.headers['retry-after']).toBeDefined();

    const otherKey = await app.inject({
      method: 'GET',
      url: '/api/v1/vapi/calls/rate-limited',
      headers: { authorization: 'Bearer other-key-0123456789' },
    });
    expect(otherKey.statusCode).toBe(404);
  });

  it("counts each read route on its own: a key that spent one route's limit still reaches another", async () => {
    const key = { authorization: `Bearer ${TEST_API_KEY}` };
    const list = () => app.inject({ method: 'GET', url: '/api/v1/vapi/events?limit=1', headers: key });
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await list()).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const stats = await app.inject({ method: 'GET', url: '/api/v1/vapi/stats', headers: key });
    expect(stats.statusCode).toBe(200);
  });

  it('limits verified webhook deliveries per source when WEBHOOK_RATE_LIMIT_PER_MINUTE is set, from whatever address', async () => {
    const statuses = [];
    for (let index = 0; index < 4; index++) {
      const body = JSON.stringify(vapiFixture('hang', uniqueCallId()));
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/vapi/webhook',
        remoteAddress: `192.0.2.${index + 1}`,
        payload: body,
        headers: vapiHmacHeaders(body),
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('leaves verified deliveries unlimited by default', async () => {
    const unlimited = await buildTestApp();
    try {
      const statuses = new Set<number>();
      for (let index = 0; index < 30; index++) {
        statuses.add((await postWebhook(unlimited, vapiFixture('hang', uniqueCallId()))).statusCode);
      }
      expect(statuses).toEqual(new Set([200]));
    } finally {
      await unlimited.close();
    }
  });

  it('leaves the health probes unlimited', async () => {
    for (let index = 0; index < 5; index++) {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    }
  });
});
