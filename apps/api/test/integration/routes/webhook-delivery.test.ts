import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, callRow } from '../../support/database.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

const FINAL_FIELDS = [
  'status',
  'ended_reason',
  'started_at',
  'ended_at',
  'duration_seconds',
  'transcript',
  'messages',
  'recording_url',
  'summary',
  'structured_data',
  'cost',
  'customer_number',
  'metadata',
  'report_received_at',
];

/** The fields that make up a result; the recording URL names the call, so it is compared without the id. */
function pick(row: Record<string, unknown> | undefined) {
  return Object.fromEntries(
    FINAL_FIELDS.map((field) => [
      field,
      field === 'recording_url' ? String(row?.[field]).replace(String(row?.call_id), 'CALL') : row?.[field],
    ]),
  );
}

async function deliver(callId: string, fixtures: string[]) {
  for (const fixture of fixtures) {
    const response = await postWebhook(app, vapiFixture(fixture, callId));
    expect(response.statusCode).toBe(200);
  }
}

describe('real delivery: repeats, reordering, concurrency', () => {
  const inOrder = ['status-update-in-progress', 'status-update-ended', 'end-of-call-report'];

  it('stores the same row whatever order the messages arrive in', async () => {
    const ordered = uniqueCallId('ordered');
    await deliver(ordered, inOrder);
    const expected = pick(await callRow(ordered));
    expect(expected.status).toBe('ended');

    for (const order of [
      ['end-of-call-report', 'status-update-ended', 'status-update-in-progress'],
      ['status-update-ended', 'end-of-call-report', 'status-update-in-progress'],
      ['status-update-in-progress', 'end-of-call-report', 'status-update-ended'],
    ]) {
      const callId = uniqueCallId('reordered');
      await deliver(callId, order);
      const row = pick(await callRow(callId));
      expect({ ...row, report_received_at: undefined }).toEqual({
        ...expected,
        report_received_at: undefined,
      });
      expect(row.report_received_at).toBeInstanceOf(Date);
    }
  });

  it('never moves a call back from ended when a late status update arrives', async () => {
    const callId = uniqueCallId();
    await deliver(callId, ['end-of-call-report', 'status-update-in-progress']);
    expect(await callRow(callId)).toMatchObject({ status: 'ended', ended_reason: 'customer-ended-call' });
  });

  it('keeps the report’s final data when a status update repeats afterwards', async () => {
    const callId = uniqueCallId();
    const report = vapiFixture('end-of-call-report', callId);
    (report.message as Record<string, unknown>).endedReason = 'assistant-said-end-call-phrase';
    await postWebhook(app, report);
    await deliver(callId, ['status-update-ended']);
    expect(await callRow(callId)).toMatchObject({ ended_reason: 'assistant-said-end-call-phrase' });
  });

  it('lets a later report fill in what a status update knew first, and never erases with nulls', async () => {
    const callId = uniqueCallId();
    await deliver(callId, ['status-update-in-progress']);
    const sparse = {
      message: { type: 'end-of-call-report', timestamp: 1763805940000, call: { id: callId } },
    };
    await postWebhook(app, sparse);
    expect(await callRow(callId)).toMatchObject({
      status: 'ended',
      customer_number: '+15555550100',
      metadata: { kestraExecutionId: '4hXyZ9kLmN2pQr', serviceRequestId: 'sr_981' },
      started_at: new Date('2025-11-22T10:00:05.000Z'),
    });
  });

  it('treats a repeated report as the same result and logs each delivery', async () => {
    const callId = uniqueCallId();
    await deliver(callId, ['end-of-call-report']);
    const first = await callRow(callId);
    await deliver(callId, ['end-of-call-report', 'end-of-call-report']);
    const after = await callRow(callId);
    expect(pick(after)).toEqual(pick(first));
    expect(await callEvents(callId)).toHaveLength(3);
  });

  it('keeps the newest event as the last one even when an older one arrives later', async () => {
    const callId = uniqueCallId();
    await deliver(callId, ['end-of-call-report', 'hang']);
    expect(await callRow(callId)).toMatchObject({
      last_event_type: 'end-of-call-report',
      last_event_at: new Date(1763805940000),
    });
  });

  it('loses nothing when many deliveries for one call arrive at once', async () => {
    const callId = uniqueCallId('concurrent');
    const fixtures = [
      ...Array.from({ length: 8 }, () => 'status-update-in-progress'),
      ...Array.from({ length: 8 }, () => 'status-update-ended'),
      ...Array.from({ length: 8 }, () => 'end-of-call-report'),
      ...Array.from({ length: 8 }, () => 'hang'),
    ];
    // Each signed at its own millisecond, as VAPI signs separate deliveries: byte-identical signed
    // deliveries would be one delivery replayed, which is refused (webhook-replayed-delivery.test.ts).
    const signedAt = Date.now();
    const responses = await Promise.all(
      fixtures.map((fixture, index) => {
        const body = JSON.stringify(vapiFixture(fixture, callId));
        return app.inject({
          method: 'POST',
          url: '/api/v1/vapi/webhook',
          payload: body,
          headers: vapiHmacHeaders(body, { timestamp: String(signedAt + index) }),
        });
      }),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(fixtures.map(() => 200));

    expect(await callEvents(callId)).toHaveLength(fixtures.length);
    const sequential = uniqueCallId('sequential');
    await deliver(sequential, inOrder);
    const row = pick(await callRow(callId));
    const expected = pick(await callRow(sequential));
    expect({ ...row, report_received_at: undefined }).toEqual({ ...expected, report_received_at: undefined });
  });
});
