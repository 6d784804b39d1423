import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, callRow } from '../../support/database.ts';
import { buildTestApp, getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp({
    API_KEYS: `${TEST_API_KEY},second-key-abcdefghijk`,
    RESULT_GRACE_PERIOD_SECONDS: '60',
  });
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${TEST_API_KEY}` };

function endedStatusUpdate(callId: string, endedAt: Date, endedReason: string) {
  const payload = vapiFixture('status-update-ended', callId);
  const message = payload.message as Record<string, unknown> & { call: Record<string, unknown> };
  message.endedReason = endedReason;
  message.timestamp = endedAt.getTime();
  message.call.endedAt = endedAt.toISOString();
  return payload;
}

describe('GET /api/v1/vapi/calls/:callId (the Kestra contract)', () => {
  it('answers 404 for an unknown call, 404 with the status while it runs, then 200 with the result', async () => {
    const callId = uniqueCallId();
    const unknown = await getCall(app, callId);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      success: false,
      error: 'Call result not found',
      message: `No event has been received for call ${callId} yet`,
      known: false,
      callStatus: null,
    });

    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    const running = await getCall(app, callId);
    expect(running.statusCode).toBe(404);
    expect(running.json()).toMatchObject({
      error: 'Call result not found',
      known: true,
      callStatus: 'in-progress',
    });

    await postWebhook(app, vapiFixture('end-of-call-report', callId));
    const final = await getCall(app, callId);
    expect(final.statusCode).toBe(200);
    expect(final.json()).toEqual({
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
        durationSeconds: 330,
        transcript: expect.stringContaining('AI: Hi, this is Concierge'),
        messages: expect.arrayContaining([expect.objectContaining({ role: 'user' })]),
        recordingUrl: `https://storage.vapi.ai/${callId}-mono.wav`,
        stereoRecordingUrl: `https://storage.vapi.ai/${callId}-stereo.wav`,
        summary: 'Provider confirmed availability tomorrow at 9am.',
        structuredData: { availability: 'available', estimated_rate: '$100/hour', recommended: true },
        successEvaluation: 'true',
        cost: 0.4512,
        costBreakdown: expect.objectContaining({ total: 0.4512 }),
        customerNumber: '+15555550100',
        vapiPhoneNumber: '+15555550199',
        phoneNumberId: 'pn_1a2b3c4d',
        assistantId: 'asst_7f2c9e4b',
        metadata: { kestraExecutionId: '4hXyZ9kLmN2pQr', serviceRequestId: 'sr_981' },
        // The report's artifact holds the values at the end of the call; the start values are only a fallback.
        variableValues: { providerName: "Joe's Plumbing" },
        callType: 'outboundPhoneCall',
        campaignId: null,
        squadId: null,
        workflowId: null,
        customerName: 'Pat Example',
        customerEmail: null,
        customerExternalId: null,
        structuredOutputs: null,
        scorecards: null,
        transfers: null,
        performanceMetrics: null,
        recordingConsent: null,
        costs: [
          expect.objectContaining({ type: 'transport', cost: 0.0715 }),
          expect.objectContaining({ type: 'model', cost: 0.1902 }),
          expect.objectContaining({ type: 'vapi', cost: 0.1895 }),
        ],
        lastEventType: 'end-of-call-report',
        lastEventAt: new Date(1763805940000).toISOString(),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      // This app has no KESTRA_URL: nothing is pushed, whatever the metadata names.
      kestraPush: null,
    });
  });

  it('keeps an ended call without a report pending during the grace period', async () => {
    const callId = uniqueCallId();
    await postWebhook(
      app,
      endedStatusUpdate(callId, new Date(Date.now() - 5_000), 'customer-did-not-answer'),
    );
    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ known: true, callStatus: 'ended' });
  });

  it('finalizes an ended call without a report once the grace period has passed, marked retryable', async () => {
    const callId = uniqueCallId();
    await postWebhook(
      app,
      endedStatusUpdate(callId, new Date(Date.now() - 61_000), 'customer-did-not-answer'),
    );
    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({
      finalReason: 'ended-without-report',
      outcome: 'no-answer',
      retryable: true,
      endedReason: 'customer-did-not-answer',
      transcript: null,
    });
  });

  it('marks a busy call retryable from its report', async () => {
    const callId = uniqueCallId();
    const report = vapiFixture('end-of-call-report-no-answer', callId);
    (report.message as Record<string, unknown>).endedReason = 'customer-busy';
    await postWebhook(app, report);
    expect((await getCall(app, callId)).json().data).toMatchObject({
      outcome: 'busy',
      retryable: true,
      fault: 'customer',
    });
  });

  it.each([
    // A voice provider too busy to speak is not the customer's busy line.
    ['pipeline-error-eleven-labs-system-busy-and-requested-upgrade', 'failed', true, 'provider'],
    ['assistant-not-valid', 'failed', false, 'assistant-configuration'],
    ['call.forwarding.operator-busy', 'completed', false, 'none'],
    ['manually-canceled', 'canceled', false, 'none'],
    ['call.in-progress.error-vapifault-a-reason-vapi-adds-later', 'failed', false, null],
  ])(
    'reads the outcome of %s from the ended-reasons table',
    async (endedReason, outcome, retryable, fault) => {
      const callId = uniqueCallId();
      const report = vapiFixture('end-of-call-report-no-answer', callId);
      (report.message as Record<string, unknown>).endedReason = endedReason;
      expect((await postWebhook(app, report)).statusCode).toBe(200);
      expect((await getCall(app, callId)).json().data).toMatchObject({
        endedReason,
        outcome,
        retryable,
        fault,
      });
    },
  );
});

describe('API keys', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown key', { authorization: 'Bearer not-a-configured-key-123' }],
    ['a key without the Bearer scheme', { authorization: TEST_API_KEY }],
  ])('answers 401 to %s', async (_label, headers) => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/vapi/calls/any', headers });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.json()).toEqual({
      success: false,
      error: 'Unauthorized',
      message: 'Missing or invalid API key',
    });
  });

  it('accepts every configured key', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/vapi/calls/any',
      headers: { authorization: 'Bearer second-key-abcdefghijk' },
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('GET /api/v1/vapi/calls/by-phone/:phone', () => {
  async function callsFor(number: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      const callId = uniqueCallId(`history-${index}`);
      const payload = vapiFixture('status-update-in-progress', callId);
      (payload.message as { customer: { number: string } }).customer.number = number;
      await postWebhook(app, payload);
      ids.push(callId);
    }
    return ids.reverse();
  }

  const history = (phone: string, query = '') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/vapi/calls/by-phone/${encodeURIComponent(phone)}${query}`,
      headers: auth,
    });

  it('pages through a customer’s calls newest first, whatever format the number is written in', async () => {
    const suffix = String(Math.floor(1000 + Math.random() * 8999));
    const newestFirst = await callsFor(`+1202555${suffix}`, 5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await history(`+1 (202) 555-${suffix}`, query);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.data.length).toBeLessThanOrEqual(2);
      seen.push(...body.data.map((call: { callId: string }) => call.callId));
      cursor = body.page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(newestFirst);
  });

  it('summarizes each call with its status and whether it is final', async () => {
    const suffix = String(Math.floor(1000 + Math.random() * 8999));
    const [callId] = await callsFor(`+1303555${suffix}`, 1);
    const response = await history(`+1303555${suffix}`);
    expect(response.json()).toEqual({
      success: true,
      data: [
        expect.objectContaining({
          callId,
          status: 'in-progress',
          final: false,
          outcome: null,
          retryable: false,
          customerNumber: `+1303555${suffix}`,
        }),
      ],
      page: { limit: 20, nextCursor: null },
    });
  });

  it.each([
    ['an invalid number', 'not-a-number', '', /phone is not a valid phone number/],
    ['a limit over the maximum', '+15555550100', '?limit=101', /limit/],
    ['a forged cursor', '+15555550100', '?cursor=abc', /cursor is not one this API issued/],
  ])('answers 400 to %s', async (_label, phone, query, message) => {
    const response = await history(phone, query);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      success: false,
      error: 'Bad Request',
      message: expect.stringMatching(message),
    });
  });
});

describe('DELETE /api/v1/vapi/calls/:callId', () => {
  it('removes the call’s row and every logged delivery, then answers 404', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    await postWebhook(app, vapiFixture('end-of-call-report', callId));

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/vapi/calls/${callId}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ success: true, data: { callId, deletedEvents: 2 } });
    expect(await callRow(callId)).toBeUndefined();
    expect(await callEvents(callId)).toEqual([]);

    const again = await app.inject({ method: 'DELETE', url: `/api/v1/vapi/calls/${callId}`, headers: auth });
    expect(again.statusCode).toBe(404);
  });

  it('needs an API key', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/api/v1/vapi/calls/anything' });
    expect(response.statusCode).toBe(401);
  });
});
