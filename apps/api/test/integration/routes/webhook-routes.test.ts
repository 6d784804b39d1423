import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, callRow, queryDb } from '../../support/database.ts';
import { vapiHmacHeaders } from '../../support/sign-webhook.ts';
import { buildTestApp, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

describe('POST /api/v1/vapi/webhook: what gets stored', () => {
  it('stores a status update: status, start time and who the call is with', async () => {
    const callId = uniqueCallId();
    const response = await postWebhook(app, vapiFixture('status-update-in-progress', callId));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, received: 'status-update' });

    expect(await callRow(callId)).toMatchObject({
      status: 'in-progress',
      ended_reason: null,
      started_at: new Date('2025-11-22T10:00:05.000Z'),
      customer_number: '+15555550100',
      vapi_phone_number: '+15555550199',
      phone_number_id: 'pn_1a2b3c4d',
      assistant_id: 'asst_7f2c9e4b',
      metadata: { kestraExecutionId: '4hXyZ9kLmN2pQr', serviceRequestId: 'sr_981' },
      variable_values: { providerName: "Joe's Plumbing", serviceNeeded: 'plumbing' },
      last_event_type: 'status-update',
      last_event_at: new Date(1763805605000),
      report_received_at: null,
    });
  });

  it('stores the ended reason and end time of an ended status update', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, vapiFixture('status-update-ended', callId));
    expect(await callRow(callId)).toMatchObject({
      status: 'ended',
      ended_reason: 'customer-ended-call',
      ended_at: new Date(1763805935000),
    });
  });

  it('stores everything final from an end-of-call report, reading the current schema paths first', async () => {
    const callId = uniqueCallId();
    const response = await postWebhook(app, vapiFixture('end-of-call-report', callId));
    expect(response.statusCode).toBe(200);

    const row = await callRow(callId);
    expect(row).toMatchObject({
      status: 'ended',
      ended_reason: 'customer-ended-call',
      started_at: new Date('2025-11-22T10:00:05.000Z'),
      ended_at: new Date('2025-11-22T10:05:35.000Z'),
      duration_seconds: '330',
      transcript: expect.stringContaining('¿está bien?'),
      recording_url: `https://storage.vapi.ai/${callId}-mono.wav`,
      stereo_recording_url: `https://storage.vapi.ai/${callId}-stereo.wav`,
      summary: 'Provider confirmed availability tomorrow at 9am.',
      structured_data: { availability: 'available', estimated_rate: '$100/hour', recommended: true },
      success_evaluation: 'true',
      cost: '0.4512',
      cost_breakdown: expect.objectContaining({ total: 0.4512, llmPromptTokens: 5120 }),
      customer_number: '+15555550100',
      vapi_phone_number: '+15555550199',
      assistant_id: 'asst_7f2c9e4b',
      metadata: { kestraExecutionId: '4hXyZ9kLmN2pQr', serviceRequestId: 'sr_981' },
      last_event_type: 'end-of-call-report',
    });
    expect(row?.messages).toHaveLength(3);
    expect(row?.report_received_at).toBeInstanceOf(Date);
    // The report itself is stored once, in its event's payload (what a replay re-applies).
    expect(row).not.toHaveProperty('end_of_call_report');
    const [event] = await callEvents(callId);
    expect(event?.payload).toMatchObject({ message: { type: 'end-of-call-report' } });
  });

  it('falls back to the legacy top-level fields older deployments send', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, vapiFixture('end-of-call-report-legacy', callId));
    expect(await callRow(callId)).toMatchObject({
      ended_reason: 'assistant-ended-call',
      duration_seconds: '93.5',
      transcript: 'AI: Hello.\nUser: We are booked this week.',
      messages: [expect.objectContaining({ role: 'bot' }), expect.objectContaining({ role: 'user' })],
      recording_url: `https://storage.vapi.ai/${callId}-legacy-top.wav`,
      stereo_recording_url: `https://storage.vapi.ai/${callId}-legacy-stereo.wav`,
      summary: 'Legacy summary: provider is unavailable this week.',
      cost_breakdown: { transport: 0.02, llm: 0.05, vapi: 0.05, total: 0.12 },
      // No customer object: no customer number. The phone number object's is VAPI's own, normalized.
      customer_number: null,
      vapi_phone_number: '+15555550142',
      assistant_id: 'asst_legacy',
    });
  });

  it('removes credentials VAPI embeds before anything is stored', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, vapiFixture('end-of-call-report', callId));
    const [event] = await callEvents(callId);
    const stored = JSON.stringify([event?.payload, await callRow(callId)]);
    expect(stored).not.toContain('twilio-auth-token-should-never-be-stored');
    expect(stored).not.toContain('twilio-api-secret-should-never-be-stored');
    expect(stored).not.toContain('assistant-server-header-secret');
    expect(stored).toContain('[redacted]');
    // Token counts are costs, not secrets.
    expect(stored).toContain('"promptTokens":5120');
  });

  it.each([
    'hang',
    'transcript',
    'conversation-update',
    'speech-update',
    'user-interrupted',
    'model-output',
    'future-type',
  ])('logs a %s message and moves the call row’s last event', async (fixture) => {
    const callId = uniqueCallId();
    const payload = vapiFixture(fixture, callId);
    const response = await postWebhook(app, payload);
    expect(response.statusCode).toBe(200);
    const type = (payload.message as { type: string }).type;
    expect(response.json()).toEqual({ success: true, received: type });

    expect(await callEvents(callId)).toEqual([
      expect.objectContaining({ event_type: type, outcome: 'stored', error_code: null }),
    ]);
    expect(await callRow(callId)).toMatchObject({ last_event_type: type, status: null });
  });

  it('logs one event row per delivery with its size and VAPI timestamp', async () => {
    const callId = uniqueCallId();
    const payload = vapiFixture('hang', callId);
    await postWebhook(app, payload);
    const [event] = await callEvents(callId);
    expect(event).toMatchObject({
      payload_bytes: Buffer.byteLength(JSON.stringify(payload)),
      event_at: new Date(1763805700000),
      payload,
    });
  });

  it('serves the same handler at /api/v1/vapi/webhooks/vapi', async () => {
    const callId = uniqueCallId();
    const response = await postWebhook(app, vapiFixture('hang', callId), '/api/v1/vapi/webhooks/vapi');
    expect(response.statusCode).toBe(200);
    expect(await callEvents(callId)).toHaveLength(1);
  });
});

describe('POST /api/v1/vapi/webhook: messages that expect an answer', () => {
  it('answers tool-calls with an error result for each call', async () => {
    const callId = uniqueCallId();
    const response = await postWebhook(app, vapiFixture('tool-calls', callId));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      results: [
        { toolCallId: 'toolu_01', name: 'bookAppointment', error: expect.stringContaining('No handler') },
        { toolCallId: 'toolu_02', name: 'lookupPrice', error: expect.stringContaining('No handler') },
      ],
    });
    expect(await callEvents(callId)).toHaveLength(1);
  });

  it('answers assistant-request with an error VAPI can speak when no assistant is configured', async () => {
    const response = await postWebhook(app, vapiFixture('assistant-request', uniqueCallId()));
    expect(response.json()).toEqual({ error: expect.any(String) });
  });

  it('answers assistant-request with the configured assistant', async () => {
    const configured = await buildTestApp({ VAPI_ASSISTANT_ID: 'asst_inbound_1' });
    try {
      const response = await postWebhook(configured, vapiFixture('assistant-request', uniqueCallId()));
      expect(response.json()).toEqual({ assistantId: 'asst_inbound_1' });
    } finally {
      await configured.close();
    }
  });
});

describe('POST /api/v1/vapi/webhook: authentic but unusable messages', () => {
  async function eventsWithMarker(marker: string) {
    return queryDb(`select * from vapi_webhook_events where payload::text like $1`, [`%${marker}%`]);
  }

  it('logs and acknowledges a message without a call id', async () => {
    const marker = crypto.randomUUID();
    const payload = vapiFixture('chat-created');
    (payload.message as Record<string, unknown>).marker = marker;
    const response = await postWebhook(app, payload);
    expect(response.statusCode).toBe(200);
    expect(await eventsWithMarker(marker)).toEqual([
      expect.objectContaining({
        call_id: null,
        event_type: 'chat.created',
        outcome: 'acknowledged',
        error_code: 'no-call-id',
      }),
    ]);
  });

  it.each([
    ['no message', (marker: string) => ({ marker })],
    ['a message without a type', (marker: string) => ({ message: { marker } })],
    ['a JSON array', (marker: string) => [marker]],
  ])('logs and acknowledges %s', async (_label, build) => {
    const marker = crypto.randomUUID();
    const response = await postWebhook(app, build(marker));
    expect(response.statusCode).toBe(200);
    expect(await eventsWithMarker(marker)).toEqual([
      expect.objectContaining({
        event_type: 'unknown',
        outcome: 'acknowledged',
        error_code: 'unrecognized-shape',
      }),
    ]);
  });
});

describe('POST /api/v1/vapi/webhook: bad requests', () => {
  it('answers 400 to an authentic body that is not JSON', async () => {
    const body = '{"message": {"type": "hang",';
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: vapiHmacHeaders(body),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      success: false,
      error: 'Bad Request',
      message: 'Body is not valid JSON',
    });
  });

  it('answers 413 to a body over the limit', async () => {
    const small = await buildTestApp({ WEBHOOK_BODY_LIMIT_BYTES: '1000' });
    try {
      const body = JSON.stringify({
        message: { type: 'hang', padding: 'x'.repeat(2000), call: { id: 'big' } },
      });
      const response = await small.inject({
        method: 'POST',
        url: '/api/v1/vapi/webhook',
        payload: body,
        headers: vapiHmacHeaders(body),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ success: false, error: 'Payload Too Large' });
    } finally {
      await small.close();
    }
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    'answers 415 to content type %s',
    async (contentType) => {
      const body = JSON.stringify(vapiFixture('hang', uniqueCallId()));
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/vapi/webhook',
        payload: body,
        headers: { ...vapiHmacHeaders(body), 'content-type': contentType },
      });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ success: false, error: 'Unsupported Media Type' });
    },
  );

  it('answers 415 to a compressed body', async () => {
    const body = JSON.stringify(vapiFixture('hang', uniqueCallId()));
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/vapi/webhook',
      payload: body,
      headers: { ...vapiHmacHeaders(body), 'content-encoding': 'gzip' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ success: false, error: 'Unsupported Media Type' });
  });
});
