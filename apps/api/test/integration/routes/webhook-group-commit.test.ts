import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, callRow, queryDb } from '../../support/database.ts';
import { buildTestApp, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

// A batch is sent when it is full; the wait only has to outlast how far apart concurrent requests land.
const BATCH = 8;

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({ WEBHOOK_BATCH_MAX_WAIT_MS: '100', WEBHOOK_BATCH_MAX_SIZE: String(BATCH) });
});
afterAll(() => app.close());

/** How many store calls the app has made, and how many deliveries they carried. */
async function batchTotals(): Promise<{ calls: number; deliveries: number }> {
  const metric = await app.metricsRegistry.getSingleMetric('callbridge_store_batch_size')?.get();
  // A histogram's samples carry their series name (…_bucket, …_sum, …_count).
  const samples = (metric?.values ?? []) as Array<{ metricName?: string; value: number }>;
  const value = (suffix: string) =>
    samples.find((sample) => sample.metricName === `callbridge_store_batch_size_${suffix}`)?.value ?? 0;
  return { calls: value('count'), deliveries: value('sum') };
}

async function storedSince(before: { calls: number; deliveries: number }) {
  const after = await batchTotals();
  return { calls: after.calls - before.calls, deliveries: after.deliveries - before.deliveries };
}

/** Posts and, the moment the answer arrives, reads what the database holds for the call. */
async function postAndRead(payload: unknown, callId: string) {
  const response = await postWebhook(app, payload);
  return { status: response.statusCode, row: await callRow(callId), events: await callEvents(callId) };
}

/** A call row without what differs between two calls stored at different moments under other ids. */
async function comparableRow(callId: string) {
  const {
    id: _id,
    created_at: _created,
    updated_at: _updated,
    report_received_at: reportReceivedAt,
    ...rest
  } = (await callRow(callId)) ?? {};
  return {
    ...JSON.parse(JSON.stringify(rest).replaceAll(callId, 'CALL_ID')),
    final: reportReceivedAt instanceof Date,
  };
}

describe('group commit of webhook deliveries', () => {
  it('stores concurrent deliveries in fewer database calls, each answered 2xx only once it is readable', async () => {
    const before = await batchTotals();
    const callIds = Array.from({ length: BATCH * 2 }, () => uniqueCallId('batched'));
    const answers = await Promise.all(
      callIds.map((callId) => postAndRead(vapiFixture('end-of-call-report', callId), callId)),
    );

    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.row?.report_received_at).toBeInstanceOf(Date);
      expect(answer.events).toEqual([expect.objectContaining({ outcome: 'stored' })]);
    }
    const stored = await storedSince(before);
    expect(stored.deliveries).toBe(callIds.length);
    expect(stored.calls).toBeLessThan(callIds.length);
  });

  it('stores the report once: in the event payload, not again on the call row', async () => {
    const callId = uniqueCallId('report-once');
    const { row, events } = await postAndRead(vapiFixture('end-of-call-report', callId), callId);

    expect(row).not.toHaveProperty('end_of_call_report');
    expect(row?.summary).toEqual(expect.any(String));
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ message: { type: 'end-of-call-report' } });
  });

  it('merges two deliveries of one call in one batch into the row sequential deliveries give', async () => {
    const batchedCall = uniqueCallId('same-batch');
    const sequentialCall = uniqueCallId('sequential');
    const deliveries = (callId: string) => [
      vapiFixture('status-update-in-progress', callId),
      vapiFixture('end-of-call-report', callId),
      vapiFixture('status-update-ended', callId),
    ];

    for (const payload of deliveries(sequentialCall)) {
      expect((await postWebhook(app, payload)).statusCode).toBe(200);
    }
    // With the rest of a full batch from other calls, so these three go to the database together.
    const fillers = Array.from({ length: BATCH - 3 }, () => uniqueCallId('filler'));
    const before = await batchTotals();
    const statuses = await Promise.all(
      [...deliveries(batchedCall), ...fillers.map((id) => vapiFixture('status-update-in-progress', id))].map(
        async (payload) => (await postWebhook(app, payload)).statusCode,
      ),
    );

    expect(statuses).toEqual(Array(BATCH).fill(200));
    expect(await storedSince(before)).toEqual({ calls: 1, deliveries: BATCH });
    expect(await comparableRow(batchedCall)).toEqual(await comparableRow(sequentialCall));
    expect(await callEvents(batchedCall)).toHaveLength(3);
  });

  describe('with one delivery in the batch that Postgres refuses', () => {
    const POISON = 'poisoned-batch-';
    beforeAll(async () => {
      // A refusal sanitizing cannot foresee, for these call ids only (other files share the database).
      await queryDb(`
        create function public.test_refuse_poisoned_call() returns trigger language plpgsql as $$
        begin raise exception 'poisoned call' using errcode = '22023'; end $$;
        create trigger test_refuse_poisoned_call before insert or update on public.vapi_call_results
          for each row when (new.call_id like '${POISON}%') execute function public.test_refuse_poisoned_call();
      `);
    });
    afterAll(async () => {
      await queryDb(`
        drop trigger test_refuse_poisoned_call on public.vapi_call_results;
        drop function public.test_refuse_poisoned_call();
      `);
    });

    it('logs it as failed with its SQLSTATE and stores its neighbours', async () => {
      const poisoned = uniqueCallId(POISON);
      const neighbours = Array.from({ length: BATCH - 1 }, () => uniqueCallId('neighbour'));
      const before = await batchTotals();
      const statuses = await Promise.all(
        [poisoned, ...neighbours].map(
          async (callId) => (await postWebhook(app, vapiFixture('end-of-call-report', callId))).statusCode,
        ),
      );

      expect(statuses).toEqual(Array(BATCH).fill(200));
      expect(await storedSince(before)).toEqual({ calls: 1, deliveries: BATCH });
      expect(await callRow(poisoned)).toBeUndefined();
      expect(await callEvents(poisoned)).toEqual([
        expect.objectContaining({ outcome: 'failed', error_code: 'database-rejected:22023' }),
      ]);
      for (const callId of neighbours) {
        expect((await callRow(callId))?.report_received_at).toBeInstanceOf(Date);
        expect(await callEvents(callId)).toEqual([expect.objectContaining({ outcome: 'stored' })]);
      }
    });
  });
});
