import {
  callHistoryResponseSchema,
  callNotFoundSchema,
  callResultResponseSchema,
} from '@callbridge/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalReason, toCallResult, toCallSummary } from '../../../src/lib/to-call-result.ts';
import { toKestraPush } from '../../../src/lib/to-kestra-push.ts';
import {
  CALL_READS_VIEW,
  CALL_ROW_COLUMNS,
  CALL_SUMMARIES_VIEW,
  callRowSchema,
  callSummaryRowSchema,
} from '../../../src/schemas/call-row-schema.ts';
import {
  KESTRA_PUSH_VIEW_COLUMNS,
  kestraPushViewSchema,
} from '../../../src/schemas/kestra-push-row-schema.ts';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const GRACE_SECONDS = 60;
const KESTRA_TENANT = 'main';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({
    RESULT_GRACE_PERIOD_SECONDS: String(GRACE_SECONDS),
    KESTRA_TENANT,
  });
});
afterAll(() => app.close());

/**
 * The answer as reads built it before they were made lean: every column and the embedded push row,
 * parsed with zod, mapped, then passed through the response schema as the zod serializer did.
 */
async function answerBeforeLeanReads(callId: string) {
  const response = await app.supabase
    .from('vapi_call_results')
    .select(`${CALL_ROW_COLUMNS},kestra_push:kestra_push_outbox(${KESTRA_PUSH_VIEW_COLUMNS})`)
    .eq('call_id', callId)
    .single();
  if (response.error) throw new Error(response.error.message);
  const { kestra_push, ...row } = callRowSchema
    .extend({ kestra_push: kestraPushViewSchema.nullable() })
    .parse(response.data);
  const reason = finalReason(row, new Date(), GRACE_SECONDS);
  if (!reason) throw new Error(`call ${callId} is not final`);
  return JSON.parse(
    JSON.stringify(
      callResultResponseSchema.parse({
        success: true,
        data: toCallResult(row, reason),
        kestraPush: kestra_push ? toKestraPush(kestra_push, KESTRA_TENANT) : null,
      }),
    ),
  );
}

async function historyBeforeLeanReads(customerNumber: string) {
  const response = await app.supabase
    .from('vapi_call_results')
    .select(CALL_ROW_COLUMNS)
    .eq('customer_number', customerNumber)
    .order('created_at', { ascending: false })
    .order('call_id', { ascending: false });
  if (response.error) throw new Error(response.error.message);
  const rows = callRowSchema.array().parse(response.data);
  return JSON.parse(
    JSON.stringify(
      callHistoryResponseSchema.parse({
        success: true,
        data: rows.map((row) => toCallSummary(row, finalReason(row, new Date(), GRACE_SECONDS))),
        page: { limit: 20, nextCursor: null },
      }),
    ),
  );
}

function uniquePhoneNumber(): string {
  return `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
}

function withCustomer(payload: Record<string, unknown>, number: string) {
  const message = payload.message as {
    customer?: { number: string };
    call: { customer?: { number: string } };
  };
  if (message.customer) message.customer.number = number;
  if (message.call.customer) message.call.customer.number = number;
  return payload;
}

function statusOnlyEnded(callId: string, endedAt: Date) {
  const payload = vapiFixture('status-update-ended', callId);
  const message = payload.message as Record<string, unknown> & { call: Record<string, unknown> };
  message.timestamp = endedAt.getTime();
  message.call.endedAt = endedAt.toISOString();
  return payload;
}

describe('lean reads answer what the zod-validated reads answered', () => {
  it('gives a full end-of-call call the same transcript, analysis, costs, recordings and metadata', async () => {
    const callId = uniqueCallId('lean');
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    expect((await postWebhook(app, vapiFixture('end-of-call-report', callId))).statusCode).toBe(200);

    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual(await answerBeforeLeanReads(callId));
    expect(callResultResponseSchema.parse(body)).toEqual(body);
    // The comparison covers the heavy fields: they are present, not both null.
    expect(body.data.transcript).toEqual(expect.any(String));
    expect(body.data.messages.length).toBeGreaterThan(0);
    expect(body.data.summary).toEqual(expect.any(String));
    expect(body.data.structuredData).toEqual(expect.any(Object));
    expect(body.data.costBreakdown).toEqual(expect.any(Object));
    expect(body.data.recordingUrl).toMatch(/^https:/);
    expect(body.data.stereoRecordingUrl).toMatch(/^https:/);
    expect(body.data.metadata).toHaveProperty('kestraExecutionId');
  });

  it('gives a bare status-only call that ended without a report the same answer', async () => {
    const callId = uniqueCallId('lean-bare');
    const endedAt = new Date(Date.now() - (GRACE_SECONDS + 5) * 1000);
    expect((await postWebhook(app, statusOnlyEnded(callId, endedAt))).statusCode).toBe(200);

    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual(await answerBeforeLeanReads(callId));
    expect(body.data).toMatchObject({
      finalReason: 'ended-without-report',
      transcript: null,
      messages: null,
    });
    expect(body.kestraPush).toBeNull();
  });

  it('answers a call still in progress with a 404 that matches its schema', async () => {
    const callId = uniqueCallId('lean-running');
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));

    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(404);
    expect(callNotFoundSchema.parse(response.json())).toEqual({
      success: false,
      error: 'Call result not found',
      message: `Call ${callId} is in-progress; its result is not final yet`,
      known: true,
      callStatus: 'in-progress',
    });
  });

  it('gives a call history the same summaries from its narrower column list', async () => {
    const phone = uniquePhoneNumber();
    const reported = uniqueCallId('lean-history');
    const running = uniqueCallId('lean-history');
    await postWebhook(app, withCustomer(vapiFixture('end-of-call-report', reported), phone));
    await postWebhook(app, withCustomer(vapiFixture('status-update-in-progress', running), phone));

    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/calls/by-phone/${encodeURIComponent(phone)}`,
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.data.map((call: { callId: string }) => call.callId).sort()).toEqual(
      [reported, running].sort(),
    );
    expect(body).toEqual(await historyBeforeLeanReads(phone));
  });

  it('reads from views that carry every column the row schemas name', async () => {
    const callId = uniqueCallId('view-columns');
    expect((await postWebhook(app, vapiFixture('status-update-in-progress', callId))).statusCode).toBe(200);
    for (const [view, schema] of [
      [CALL_READS_VIEW, callRowSchema],
      [CALL_SUMMARIES_VIEW, callSummaryRowSchema],
    ] as const) {
      const response = await app.supabase.from(view).select('*').eq('call_id', callId).single();
      if (response.error) throw new Error(response.error.message);
      expect(Object.keys(response.data).sort()).toEqual(Object.keys(schema.shape).sort());
    }
  });
});
