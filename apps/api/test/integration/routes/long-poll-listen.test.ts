import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.ts';
import { buildTestApp, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// The periodic check is pushed out to 60 s (both intervals), so a wake well under that can only come
// from a Postgres notification. Both instances share the run's stack, as instances share Supabase.
const SLOW_CHECK = { LONG_POLL_CHECK_INTERVAL_MS: '60000', LONG_POLL_BACKSTOP_INTERVAL_MS: '60000' };
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function instance(env: Record<string, string>) {
  const app = await buildTestApp(env);
  apps.push(app);
  return app;
}

async function listeningInstance() {
  const app = await instance({ ...SLOW_CHECK, DATABASE_URL: inject('supabase').dbUrl });
  await expect.poll(() => app.resultListener?.connected, { timeout: 10_000 }).toBe(true);
  return app;
}

async function metric(app: TestApp, name: string) {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  return sampleValue(parsePrometheusText(response.body).samples, name);
}

/** Parks a long poll on `waiting`, stores the report through `storing`, and times the wake from its 2xx. */
async function wakeAfterReport(waiting: TestApp, storing: TestApp) {
  const callId = uniqueCallId('listen');
  await postWebhook(storing, vapiFixture('status-update-in-progress', callId));
  const pending = waiting.inject({
    method: 'GET',
    url: `/api/v1/vapi/calls/${callId}?wait=30`,
    headers: auth,
  });
  await expect.poll(() => waiting.resultWaiters.size).toBe(1);
  expect((await postWebhook(storing, vapiFixture('end-of-call-report', callId))).statusCode).toBe(200);
  const stored = Date.now();
  const response = await pending;
  return { response, afterMs: Date.now() - stored };
}

async function terminateListeners() {
  const db = new pg.Client({ connectionString: inject('supabase').dbUrl });
  await db.connect();
  try {
    const { rows } = await db.query(
      `select pg_terminate_backend(pid) as terminated from pg_stat_activity
       where application_name = 'callbridge-result-listener'`,
    );
    return rows.length;
  } finally {
    await db.end();
  }
}

describe('long polls woken by LISTEN/NOTIFY (DATABASE_URL)', () => {
  it('wakes a long poll on one instance when another instance stores the final report', async () => {
    const waiting = await listeningInstance();
    const storing = await instance(SLOW_CHECK);
    const before = await metric(waiting, 'callbridge_result_notifications_total');

    const { response, afterMs } = await wakeAfterReport(waiting, storing);

    expect(response.statusCode).toBe(200);
    expect(response.json().data.finalReason).toBe('end-of-call-report');
    expect(afterMs).toBeLessThan(500);
    expect(await metric(waiting, 'callbridge_result_notifications_total')).toBeGreaterThan(before);
    expect(await metric(waiting, 'callbridge_result_listener_connected')).toBe(1);
    const ready = await waiting.inject({ method: 'GET', url: '/ready' });
    expect(ready.json()).toMatchObject({ status: 'ready', resultListener: 'listening' });
  });

  it('reconnects after its backend is terminated and still wakes waiters', async () => {
    const waiting = await listeningInstance();
    const storing = await instance(SLOW_CHECK);

    expect(await terminateListeners()).toBeGreaterThan(0);
    await expect.poll(() => waiting.resultListener?.reconnects, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => waiting.resultListener?.connected, { timeout: 15_000 }).toBe(true);

    const { response, afterMs } = await wakeAfterReport(waiting, storing);
    expect(response.statusCode).toBe(200);
    expect(afterMs).toBeLessThan(500);
    expect(await metric(waiting, 'callbridge_result_listener_reconnects_total')).toBeGreaterThan(0);
  });

  it('finds, on reconnecting, a result made final while the listener was down', async () => {
    const waiting = await listeningInstance();
    const storing = await instance(SLOW_CHECK);
    const callId = uniqueCallId('listen-missed');
    const pending = waiting.inject({
      method: 'GET',
      url: `/api/v1/vapi/calls/${callId}?wait=30`,
      headers: auth,
    });
    await expect.poll(() => waiting.resultWaiters.size).toBe(1);
    // Stop the listener, store the report while nobody listens, then let it connect again.
    await waiting.resultListener?.stop();
    expect((await postWebhook(storing, vapiFixture('end-of-call-report', callId))).statusCode).toBe(200);
    const stored = Date.now();
    waiting.resultListener?.start();

    const response = await pending;
    expect(response.statusCode).toBe(200);
    // The 60 s check could not have answered: the re-check on connecting did.
    expect(Date.now() - stored).toBeLessThan(10_000);
  });

  it('without DATABASE_URL, wakes long polls by the periodic check and reports the listener off', async () => {
    const waiting = await instance({ LONG_POLL_CHECK_INTERVAL_MS: '200' });
    const storing = await instance(SLOW_CHECK);
    expect(waiting.resultListener).toBeUndefined();

    const { response } = await wakeAfterReport(waiting, storing);

    expect(response.statusCode).toBe(200);
    const ready = await waiting.inject({ method: 'GET', url: '/ready' });
    expect(ready.json()).toMatchObject({ status: 'ready', resultListener: 'off' });
    const metrics = await waiting.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).not.toContain('callbridge_result_listener_connected');
  });
});
