import {
  callHistoryResponseSchema,
  callNotFoundSchema,
  callResultResponseSchema,
} from '@callbridge/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALL_READS_VIEW,
  CALL_SUMMARIES_VIEW,
  callRowSchema,
  callSummaryRowSchema,
} from '../../../src/schemas/call-row-schema.ts';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const GRACE_SECONDS = 60;

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({ RESULT_GRACE_PERIOD_SECONDS: String(GRACE_SECONDS), KESTRA_TENANT: 'main' });
});
afterAll(() => app.close());

/** Times the database sets when it stores the row: only their form and order are known in advance. */
const STORED_AT = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/**
 * The answers below are written out by hand from test/fixtures/vapi and the CallResult contract in
 * packages/contracts, never computed with the mappers the route uses (lib/to-call-result.ts): a mapping
 * bug must fail them.
 */
function fullReportAnswer(callId: string) {
  return {
    success: true,
    data: {
      callId,
      status: 'ended',
      final: true,
      finalReason: 'end-of-call-report',
      outcome: 'completed',
      retryable: false,
      fault: 'none',
      endedReason: 'customer-ended-call',
      startedAt: '2025-11-22T10:00:05.000Z',
      endedAt: '2025-11-22T10:05:35.000Z',
      // 10:00:05 to 10:05:35.
      durationSeconds: 330,
      transcript:
        'AI: Hi, this is Concierge calling for Pat about the plumbing request.\nUser: Yes, we can come tomorrow at nine — ¿está bien?',
      messages: [
        { role: 'system', message: 'You are Concierge.', time: 1763805605000, secondsFromStart: 0 },
        {
          role: 'bot',
          message: 'Hi, this is Concierge calling for Pat about the plumbing request.',
          time: 1763805606000,
          endTime: 1763805610000,
          secondsFromStart: 1.2,
          duration: 4000,
        },
        {
          role: 'user',
          message: 'Yes, we can come tomorrow at nine — ¿está bien?',
          time: 1763805611000,
          endTime: 1763805615000,
          secondsFromStart: 6.1,
          duration: 4000,
        },
      ],
      // artifact.recording.mono.combinedUrl wins over the legacy artifact.recordingUrl.
      recordingUrl: `https://storage.vapi.ai/${callId}-mono.wav`,
      stereoRecordingUrl: `https://storage.vapi.ai/${callId}-stereo.wav`,
      summary: 'Provider confirmed availability tomorrow at 9am.',
      structuredData: { availability: 'available', estimated_rate: '$100/hour', recommended: true },
      successEvaluation: 'true',
      cost: 0.4512,
      costBreakdown: {
        transport: 0.0715,
        stt: 0.02,
        llm: 0.1902,
        tts: 0,
        vapi: 0.1895,
        total: 0.4512,
        llmPromptTokens: 5120,
        llmCompletionTokens: 410,
      },
      costs: [
        { type: 'transport', provider: 'twilio', minutes: 5.5, cost: 0.0715 },
        {
          type: 'model',
          model: { provider: 'openai', model: 'gpt-4o' },
          promptTokens: 5120,
          completionTokens: 410,
          cost: 0.1902,
        },
        { type: 'vapi', subType: 'normal', minutes: 5.5, cost: 0.1895 },
      ],
      customerNumber: '+15555550100',
      // From the in-progress status update: the report names no customer name, and the merge keeps it.
      customerName: 'Pat Example',
      customerEmail: null,
      customerExternalId: null,
      vapiPhoneNumber: '+15555550199',
      phoneNumberId: 'pn_1a2b3c4d',
      assistantId: 'asst_7f2c9e4b',
      callType: 'outboundPhoneCall',
      campaignId: null,
      squadId: null,
      workflowId: null,
      metadata: { kestraExecutionId: '4hXyZ9kLmN2pQr', serviceRequestId: 'sr_981' },
      // artifact.variableValues at the end, not the overrides the call started with.
      variableValues: { providerName: "Joe's Plumbing" },
      structuredOutputs: null,
      scorecards: null,
      transfers: null,
      performanceMetrics: null,
      recordingConsent: null,
      lastEventType: 'end-of-call-report',
      // The report's timestamp, 1763805940000.
      lastEventAt: '2025-11-22T10:05:40.000Z',
      createdAt: STORED_AT,
      updatedAt: STORED_AT,
    },
    // No push is configured in this app, so none is enqueued even though the metadata names an execution.
    kestraPush: null,
  };
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

/** The database's own times: set while this test ran, updatedAt never before createdAt. */
function expectStoredTimes(data: { createdAt: string; updatedAt?: string }, before: number) {
  const createdAt = Date.parse(data.createdAt);
  expect(createdAt).toBeGreaterThanOrEqual(before - 1000);
  expect(createdAt).toBeLessThanOrEqual(Date.now() + 1000);
  if (data.updatedAt !== undefined) expect(Date.parse(data.updatedAt)).toBeGreaterThanOrEqual(createdAt);
}

describe('lean reads answer exactly what the contract and the fixtures say', () => {
  it('gives a full end-of-call call its transcript, analysis, costs, recordings and metadata', async () => {
    const callId = uniqueCallId('lean');
    const before = Date.now();
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    expect((await postWebhook(app, vapiFixture('end-of-call-report', callId))).statusCode).toBe(200);

    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toStrictEqual(fullReportAnswer(callId));
    expect(callResultResponseSchema.parse(body)).toEqual(body);
    expectStoredTimes(body.data, before);
  });

  it('gives a bare status-only call that ended without a report its answer, the report fields null', async () => {
    const callId = uniqueCallId('lean-bare');
    const before = Date.now();
    const endedAt = new Date(Math.floor((before - (GRACE_SECONDS + 5) * 1000) / 1000) * 1000);
    expect((await postWebhook(app, statusOnlyEnded(callId, endedAt))).statusCode).toBe(200);

    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toStrictEqual({
      success: true,
      data: {
        callId,
        status: 'ended',
        final: true,
        finalReason: 'ended-without-report',
        outcome: 'completed',
        retryable: false,
        fault: 'none',
        endedReason: 'customer-ended-call',
        startedAt: '2025-11-22T10:00:05.000Z',
        endedAt: endedAt.toISOString(),
        durationSeconds: null,
        transcript: null,
        messages: null,
        recordingUrl: null,
        stereoRecordingUrl: null,
        summary: null,
        structuredData: null,
        successEvaluation: null,
        cost: null,
        costBreakdown: null,
        costs: null,
        customerNumber: '+15555550100',
        customerName: null,
        customerEmail: null,
        customerExternalId: null,
        vapiPhoneNumber: '+15555550199',
        phoneNumberId: 'pn_1a2b3c4d',
        assistantId: 'asst_7f2c9e4b',
        callType: 'outboundPhoneCall',
        campaignId: null,
        squadId: null,
        workflowId: null,
        metadata: { kestraExecutionId: '4hXyZ9kLmN2pQr', serviceRequestId: 'sr_981' },
        variableValues: null,
        structuredOutputs: null,
        scorecards: null,
        transfers: null,
        performanceMetrics: null,
        recordingConsent: null,
        lastEventType: 'status-update',
        lastEventAt: endedAt.toISOString(),
        createdAt: STORED_AT,
        updatedAt: STORED_AT,
      },
      kestraPush: null,
    });
    expect(callResultResponseSchema.parse(body)).toEqual(body);
    expectStoredTimes(body.data, before);
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

  it('gives a call history its summaries, newest first, from the narrower column list', async () => {
    const phone = uniquePhoneNumber();
    const reported = uniqueCallId('lean-history');
    const running = uniqueCallId('lean-history');
    const before = Date.now();
    await postWebhook(app, withCustomer(vapiFixture('end-of-call-report', reported), phone));
    await postWebhook(app, withCustomer(vapiFixture('status-update-in-progress', running), phone));

    const response = await app.inject({
      method: 'GET',
      url: `/api/v1/vapi/calls/by-phone/${encodeURIComponent(phone)}`,
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toStrictEqual({
      success: true,
      data: [
        {
          callId: running,
          status: 'in-progress',
          final: false,
          // Not ended: no outcome yet.
          outcome: null,
          retryable: false,
          fault: null,
          endedReason: null,
          startedAt: '2025-11-22T10:00:05.000Z',
          endedAt: null,
          durationSeconds: null,
          summary: null,
          successEvaluation: null,
          cost: null,
          customerNumber: phone,
          assistantId: 'asst_7f2c9e4b',
          createdAt: STORED_AT,
        },
        {
          callId: reported,
          status: 'ended',
          final: true,
          outcome: 'completed',
          retryable: false,
          fault: 'none',
          endedReason: 'customer-ended-call',
          startedAt: '2025-11-22T10:00:05.000Z',
          endedAt: '2025-11-22T10:05:35.000Z',
          durationSeconds: 330,
          summary: 'Provider confirmed availability tomorrow at 9am.',
          successEvaluation: 'true',
          cost: 0.4512,
          customerNumber: phone,
          assistantId: 'asst_7f2c9e4b',
          createdAt: STORED_AT,
        },
      ],
      page: { limit: 20, nextCursor: null },
    });
    expect(callHistoryResponseSchema.parse(body)).toEqual(body);
    for (const call of body.data) expectStoredTimes(call, before);
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
