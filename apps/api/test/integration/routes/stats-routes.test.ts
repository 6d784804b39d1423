import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_ENDED_REASONS, classifyEndedReason } from '../../../src/lib/call-ended-reasons.ts';
import { queryDb } from '../../support/database.ts';
import { buildTestApp, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';

let app: TestApp;
const auth = { authorization: `Bearer ${TEST_API_KEY}` };

// A window no other test writes to: rows are seeded straight into Postgres with hand-picked figures.
const since = '2030-03-01T00:00:00.000Z';
const until = '2030-03-02T00:00:00.000Z';
const inside = '2030-03-01T12:00:00Z';
const outside = '2030-03-02T00:00:00Z';

async function seed() {
  await queryDb("delete from vapi_call_results where call_id like 'stats-2030-%'");
  await queryDb('delete from vapi_webhook_events where received_at >= $1 and received_at <= $2', [
    since,
    outside,
  ]);
  const calls: [string, string | null, string | null, number | null, number | null, string | null, string][] =
    [
      ['c1', 'ended', 'customer-ended-call', 10, 0.5, null, inside],
      ['c2', 'ended', 'customer-busy', 0, 0.1, null, inside],
      ['c3', 'ended', 'customer-did-not-answer', null, null, null, inside],
      ['c4', 'in-progress', null, null, 0.2, null, inside],
      ['c5', null, 'pipeline-error-openai-llm-failed', 30, 1, inside, inside],
      ['c6', 'ended', 'voicemail', 20, 0.25, null, since],
      ['c7', 'ended', 'customer-ended-call', 500, 9, null, outside],
      // The customer was reached; only the transfer target was busy.
      ['c8', 'ended', 'call.forwarding.operator-busy', null, null, null, inside],
      ['c9', 'ended', 'manually-canceled', null, null, null, inside],
      // A reason VAPI may add after the table was written counts as failed.
      [
        'c10',
        'ended',
        'call.in-progress.error-vapifault-next-years-provider-failed',
        null,
        null,
        null,
        inside,
      ],
    ];
  for (const [id, status, reason, duration, cost, report, created] of calls) {
    await queryDb(
      `insert into vapi_call_results (call_id, status, ended_reason, duration_seconds, cost, report_received_at, created_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [`stats-2030-${id}`, status, reason, duration, cost, report, created],
    );
  }
  const events: [string, string, string | null, number, string][] = [
    ['status-update', 'stored', null, 3, inside],
    ['status-update', 'failed', 'database-rejected:23514', 1, inside],
    ['end-of-call-report', 'stored', null, 1, inside],
    ['end-of-call-report', 'failed', 'database-rejected:22P02', 2, inside],
    ['conversation-update', 'acknowledged', null, 2, since],
    ['future-type', 'rejected', 'invalid-message', 1, inside],
    ['end-of-call-report', 'failed', 'database-rejected:XX000', 1, outside],
  ];
  for (const [type, outcome, code, times, at] of events) {
    await queryDb(
      `insert into vapi_webhook_events (event_type, outcome, error_code, payload_bytes, received_at)
       select $1, $2, $3, 100, $4 from generate_series(1, $5)`,
      [type, outcome, code, at, times],
    );
  }
}

beforeAll(async () => {
  app = await buildTestApp();
  await seed();
});
afterAll(() => app.close());

describe('GET /api/v1/vapi/stats', () => {
  it('reports the figures a hand computation gives for the window', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/stats?since=${since}&until=${until}`,
      headers: auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      success: true,
      data: {
        since,
        until,
        calls: {
          total: 9,
          byStatus: { ended: 7, 'in-progress': 1, unknown: 1 },
          // c4 has not ended, so it has no outcome yet.
          byOutcome: { completed: 2, busy: 1, 'no-answer': 1, failed: 2, voicemail: 1, canceled: 1 },
          // Durations 0, 10, 20, 30 (nulls left out): p95 interpolates between 20 and 30.
          durationSeconds: { mean: 15, p50: 15, p95: expect.closeTo(28.5, 9) },
          totalCost: 2.05,
        },
        deliveries: {
          total: 10,
          byType: {
            'status-update': { stored: 3, failed: 1 },
            'end-of-call-report': { stored: 1, failed: 2 },
            'conversation-update': { acknowledged: 2 },
            'future-type': { rejected: 1 },
          },
          successRate: 0.6,
          topFailureCodes: [
            { code: 'database-rejected:22P02', count: 2 },
            { code: 'database-rejected:23514', count: 1 },
            { code: 'invalid-message', count: 1 },
          ],
        },
      },
    });
  });

  it('answers zeros and nulls for an empty window', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/vapi/stats?since=2031-01-01T00:00:00Z&until=2031-01-02T00:00:00Z',
      headers: auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({
      calls: {
        total: 0,
        byStatus: {},
        byOutcome: {},
        durationSeconds: { mean: null, p50: null, p95: null },
        totalCost: 0,
      },
      deliveries: { total: 0, byType: {}, successRate: null, topFailureCodes: [] },
    });
  });

  it('covers the last 24 hours by default', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/vapi/stats', headers: auth });
    expect(response.statusCode).toBe(200);
    const { since: from, until: to } = response.json().data;
    expect(Date.parse(to) - Date.parse(from)).toBe(24 * 60 * 60 * 1000);
    expect(Math.abs(Date.parse(to) - Date.now())).toBeLessThan(10_000);
  });

  it('refuses a window that ends before it starts, and a request without an API key', async () => {
    const backwards = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/stats?since=${until}&until=${since}`,
      headers: auth,
    });
    expect(backwards.statusCode).toBe(400);
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/vapi/stats' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses a window wider than STATS_MAX_WINDOW_DAYS (31 by default) before touching the database', async () => {
    const stats = (query: string) =>
      app.inject({ method: 'GET', url: `/api/v1/vapi/stats?${query}`, headers: auth });
    // The whole history in one sort: what a key holder would ask for to load the database.
    const history = await stats('since=1970-01-01T00:00:00Z&until=2100-01-01T00:00:00Z');
    expect(history.statusCode).toBe(400);
    expect(history.json()).toEqual({
      success: false,
      error: 'Bad Request',
      message: 'The window is wider than 31 days (STATS_MAX_WINDOW_DAYS): ask for a shorter one, or several',
    });
    // Only since: until defaults to now, so an old since is the same wide window.
    expect((await stats('since=2000-01-01T00:00:00Z')).statusCode).toBe(400);
    // One millisecond past the bound is refused; the bound itself is answered.
    expect((await stats('since=2030-01-01T00:00:00.000Z&until=2030-02-01T00:00:00.001Z')).statusCode).toBe(
      400,
    );
    expect((await stats('since=2030-01-01T00:00:00.000Z&until=2030-02-01T00:00:00.000Z')).statusCode).toBe(
      200,
    );
  });

  it('takes its bound from STATS_MAX_WINDOW_DAYS', async () => {
    const narrow = await buildTestApp({ STATS_MAX_WINDOW_DAYS: '1' });
    try {
      const wide = await narrow.inject({
        method: 'GET',
        url: `/api/v1/vapi/stats?since=${since}&until=2030-03-03T00:00:00.000Z`,
        headers: auth,
      });
      expect(wide.statusCode).toBe(400);
      expect(wide.json().message).toContain('wider than 1 day (STATS_MAX_WINDOW_DAYS)');
      const day = await narrow.inject({
        method: 'GET',
        url: `/api/v1/vapi/stats?since=${since}&until=${until}`,
        headers: auth,
      });
      expect(day.statusCode).toBe(200);
    } finally {
      await narrow.close();
    }
  });

  it('classifies every ended reason in SQL by the same table as the call routes', async () => {
    const reasons = [
      ...Object.keys(CALL_ENDED_REASONS),
      'twilio-reported-customer-busy',
      'Customer-Did-Not-Answer',
      'ring-timeout',
      '',
      null,
    ];
    const rows = await queryDb<{ reason: string | null; outcome: string }>(
      'select reason, public.vapi_call_outcome(reason) as outcome from unnest($1::text[]) as reason',
      [reasons],
    );
    expect(rows).toHaveLength(reasons.length);
    expect(rows.map((row) => [row.reason, row.outcome])).toEqual(
      reasons.map((reason) => [reason, classifyEndedReason(reason).outcome]),
    );
    expect(rows.filter((row) => row.outcome === 'failed').map((row) => row.reason)).toEqual(
      expect.arrayContaining([
        'twilio-reported-customer-busy',
        'Customer-Did-Not-Answer',
        'ring-timeout',
        '',
        null,
      ]),
    );
  });

  it('keeps the lookup table read-only reference data the service role reads', async () => {
    const [row] = await queryDb<{
      rls: boolean;
      anon: boolean;
      service_select: boolean;
      service_insert: boolean;
    }>(
      `select c.relrowsecurity as rls,
         has_table_privilege('anon', c.oid, 'select') as anon,
         has_table_privilege('service_role', c.oid, 'select') as service_select,
         has_table_privilege('service_role', c.oid, 'insert') as service_insert
       from pg_class c where c.oid = 'public.vapi_ended_reasons'::regclass`,
    );
    expect(row).toEqual({ rls: true, anon: false, service_select: true, service_insert: false });
  });
});
