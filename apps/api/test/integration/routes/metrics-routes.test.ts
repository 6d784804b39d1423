import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, type Sample, sampleValue } from '../../support/prometheus-text.ts';
import { buildTestApp, getCall, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const METRICS_TOKEN = 'metrics-token-0f9e8d7c6b5a';

const apps: TestApp[] = [];
async function appWith(overrides: Record<string, string> = {}) {
  const app = await buildTestApp({ METRICS_TOKEN, ...overrides });
  apps.push(app);
  return app;
}
afterAll(() => Promise.all(apps.map((app) => app.close())));

async function scrape(app: TestApp): Promise<Sample[]> {
  const response = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
  return parsePrometheusText(response.body).samples;
}

describe('GET /metrics', () => {
  let app: TestApp;
  const callId = uniqueCallId('metrics');
  beforeAll(async () => {
    app = await appWith();
    // A known sequence: three stored deliveries (one of a type VAPI does not document), one without a
    // call id, two that fail verification.
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    await postWebhook(app, vapiFixture('future-type', callId));
    await postWebhook(app, vapiFixture('end-of-call-report', callId));
    await postWebhook(app, { message: { type: 'status-update', status: 'queued' } });
    const body = JSON.stringify(vapiFixture('hang', callId));
    await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-signature': 'ab'.repeat(32),
        'x-timestamp': String(Date.now()),
      },
    });
    await getCall(app, callId);
  });

  it('is Prometheus text and counts deliveries by type and outcome', async () => {
    const samples = await scrape(app);
    const webhooks = samples.filter((sample) => sample.name === 'callbridge_webhooks_total');
    expect(webhooks.map(({ labels, value }) => `${labels.type} ${labels.outcome} ${value}`).sort()).toEqual([
      'end-of-call-report stored 1',
      'other stored 1',
      'status-update acknowledged 1',
      'status-update stored 1',
    ]);
    expect(
      sampleValue(samples, 'callbridge_webhook_verification_failures_total', { reason: 'missing-signature' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'callbridge_webhook_verification_failures_total', {
        reason: 'signature-mismatch',
      }),
    ).toBe(1);
    expect(sampleValue(samples, 'callbridge_store_duration_seconds_count')).toBe(4);
    expect(sampleValue(samples, 'callbridge_store_retries_total')).toBe(0);
    expect(sampleValue(samples, 'callbridge_long_poll_waiters')).toBe(0);
    expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('times requests per route template, with buckets from 5 ms to 10 s', async () => {
    const samples = await scrape(app);
    const webhook = { method: 'POST', route: '/api/v1/vapi/webhook' };
    expect(
      sampleValue(samples, 'http_request_duration_seconds_count', { ...webhook, status_code: '200' }),
    ).toBe(4);
    expect(
      sampleValue(samples, 'http_request_duration_seconds_count', { ...webhook, status_code: '401' }),
    ).toBe(2);
    expect(
      sampleValue(samples, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/vapi/calls/:callId',
        status_code: '200',
      }),
    ).toBe(1);
    const buckets = samples
      .filter(
        (sample) =>
          sample.name === 'http_request_duration_seconds_bucket' && sample.labels.route === webhook.route,
      )
      .map((sample) => sample.labels.le);
    expect(buckets).toContain('0.005');
    expect(buckets).toContain('10');
  });

  it('never labels a series with a call id, phone number or key', async () => {
    const samples = await scrape(app);
    const values = samples.flatMap((sample) => Object.values(sample.labels));
    for (const value of values) {
      expect(value).not.toContain(callId);
      expect(value).not.toMatch(/\+?\d{7,}/);
      expect(value).not.toContain(METRICS_TOKEN);
    }
  });

  it('counts the waiters of long polls while they wait', async () => {
    const waitedFor = uniqueCallId('metrics-wait');
    const waiting = app.inject({
      method: 'GET',
      url: `/api/v1/vapi/calls/${waitedFor}?wait=10`,
      headers: { authorization: 'Bearer cb_test_key_5f1e2d3c4b5a6978' },
    });
    await expect.poll(async () => sampleValue(await scrape(app), 'callbridge_long_poll_waiters')).toBe(1);
    await postWebhook(app, vapiFixture('end-of-call-report', waitedFor));
    expect((await waiting).statusCode).toBe(200);
    expect(sampleValue(await scrape(app), 'callbridge_long_poll_waiters')).toBe(0);
  });

  it('needs the token when METRICS_TOKEN is set', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0000000000' },
      { authorization: METRICS_TOKEN },
    ]) {
      const response = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ success: false, error: 'Unauthorized', message: expect.any(String) });
    }
  });
});

describe('metrics per app instance', () => {
  it('keeps each app’s counts in its own registry, and serves them without a token when none is set', async () => {
    const first = await appWith();
    const second = await buildTestApp();
    apps.push(second);
    await postWebhook(first, vapiFixture('status-update-in-progress', uniqueCallId('metrics-first')));

    expect(sampleValue(await scrape(first), 'callbridge_webhooks_total')).toBe(1);
    const open = await second.inject({ method: 'GET', url: '/metrics' });
    expect(open.statusCode).toBe(200);
    expect(sampleValue(parsePrometheusText(open.body).samples, 'callbridge_webhooks_total')).toBe(0);
  });

  it('counts rate-limited requests by route template', async () => {
    const app = await appWith({ READ_RATE_LIMIT_PER_MINUTE: '1' });
    const callId = uniqueCallId('metrics-limited');
    await getCall(app, callId);
    expect((await getCall(app, callId)).statusCode).toBe(429);
    const samples = await scrape(app);
    expect(
      sampleValue(samples, 'callbridge_rate_limited_total', { route: '/api/v1/vapi/calls/:callId' }),
    ).toBe(1);
  });
});
