import { describe, expect, it } from 'vitest';
import { mapVapiMessage } from '../../../src/lib/map-vapi-message.ts';
import { SanitizeNotes } from '../../../src/lib/sanitize-notes.ts';
import { vapiMessageSchema } from '../../../src/lib/vapi-message-schema.ts';
import { vapiFixture } from '../../support/vapi-fixtures.ts';

const RECEIVED = new Date('2025-11-22T12:00:00.000Z');
const map = (payload: Record<string, unknown>, notes = new SanitizeNotes()) =>
  mapVapiMessage(vapiMessageSchema.parse(payload.message), RECEIVED, 'US', notes);

describe('mapVapiMessage', () => {
  it('takes the event time from message.timestamp in epoch milliseconds', () => {
    expect(map(vapiFixture('hang')).eventAt).toEqual(new Date(1763805700000));
  });

  it('falls back to the receive time when the timestamp is missing or unreadable', () => {
    expect(map({ message: { type: 'hang', call: { id: 'c' } } }).eventAt).toEqual(RECEIVED);
    expect(map({ message: { type: 'hang', timestamp: 'soon', call: { id: 'c' } } }).eventAt).toEqual(
      RECEIVED,
    );
  });

  it('reads an ISO timestamp, as older SDKs sent it', () => {
    const event = map({ message: { type: 'hang', timestamp: '2025-11-22T10:00:00Z', call: { id: 'c' } } });
    expect(event.eventAt).toEqual(new Date('2025-11-22T10:00:00Z'));
  });

  it('prefers artifact.recording.mono.combinedUrl over the older recording fields', () => {
    expect(map(vapiFixture('end-of-call-report', 'c1')).fields.recording_url).toBe(
      'https://storage.vapi.ai/c1-mono.wav',
    );
  });

  it('computes the duration from startedAt and endedAt before trusting durationSeconds', () => {
    const payload = vapiFixture('end-of-call-report');
    (payload.message as Record<string, unknown>).durationSeconds = 1;
    expect(map(payload).fields.duration_seconds).toBe(330);
  });

  it('reads durationMs when nothing else gives the duration', () => {
    const event = map({ message: { type: 'end-of-call-report', durationMs: 4500, call: { id: 'c' } } });
    expect(event.fields.duration_seconds).toBe(4.5);
  });

  it('keeps the costs list beside the cost breakdown, never in its place', () => {
    const event = map({
      message: { type: 'end-of-call-report', costs: [{ type: 'vapi', cost: 0.1 }], call: { id: 'c' } },
    });
    expect(event.fields.cost_breakdown).toBeUndefined();
    expect(event.fields.costs).toEqual([{ type: 'vapi', cost: 0.1 }]);
  });

  it('ignores a cost breakdown that is not an object', () => {
    const event = map({
      message: {
        type: 'end-of-call-report',
        costBreakdown: [{ type: 'vapi', cost: 0.1 }],
        call: { id: 'c' },
      },
    });
    expect(event.fields.cost_breakdown).toBeUndefined();
  });

  it('ignores a field of an unexpected type instead of refusing the message', () => {
    const event = map({
      message: { type: 'end-of-call-report', cost: 'free', artifact: { transcript: 42 }, call: { id: 'c' } },
    });
    expect(event.fields.cost).toBeUndefined();
    expect(event.fields.transcript).toBeUndefined();
    expect(event.fields.status).toBe('ended');
  });

  it('stores a PassFail success evaluation sent as a boolean as text', () => {
    const event = map({
      message: { type: 'end-of-call-report', analysis: { successEvaluation: false }, call: { id: 'c' } },
    });
    expect(event.fields.success_evaluation).toBe('false');
  });

  it('keeps only the status of a status update that is not ended', () => {
    const fields = map(vapiFixture('status-update-in-progress')).fields;
    expect(fields.status).toBe('in-progress');
    expect(fields.ended_reason).toBeUndefined();
    expect(fields.ended_at).toBeUndefined();
  });

  it('keeps a customer number it cannot normalize as it came', () => {
    const event = map({
      message: { type: 'hang', customer: { number: 'sip:pat@example.com' }, call: { id: 'c' } },
    });
    expect(event.fields.customer_number).toBe('sip:pat@example.com');
  });

  it('has no call id for messages about chats or sessions', () => {
    expect(map(vapiFixture('chat-created')).callId).toBeUndefined();
  });

  it.each([
    ['1e15 ms', 1e15],
    ['8.64e15 ms', 8.64e15],
    ['-1e12', -1e12],
    ['a year before 1', '-005000-01-01T00:00:00Z'],
    ['a year after 9999', '+275760-09-13T00:00:00.000Z'],
  ])('uses the receive time for a timestamp of %s, and notes it', (_label, timestamp) => {
    const notes = new SanitizeNotes();
    const event = map({ message: { type: 'hang', timestamp, call: { id: 'c' } } }, notes);
    expect(event.eventAt).toEqual(RECEIVED);
    expect(notes.notes).toEqual([{ path: '$.message.timestamp', reason: 'date-out-of-range' }]);
  });

  it('drops a report date Postgres cannot hold and keeps every other field of the report', () => {
    const payload = vapiFixture('end-of-call-report');
    (payload.message as Record<string, unknown>).startedAt = '+275760-09-13T00:00:00.000Z';
    const notes = new SanitizeNotes();
    const event = map(payload, notes);
    expect(event.fields.started_at).toBeUndefined();
    expect(event.fields.ended_at).toEqual(expect.any(String));
    expect(event.fields.transcript).toEqual(expect.any(String));
    expect(event.fields.status).toBe('ended');
    expect(notes.notes).toContainEqual({ path: '$.message.startedAt', reason: 'date-out-of-range' });
  });

  it('keys a call id longer than 200 characters by its SHA-256, the same for every delivery', () => {
    const longId = 'x'.repeat(5000);
    const notes = new SanitizeNotes();
    const first = map({ message: { type: 'hang', call: { id: longId } } }, notes);
    const second = map({ message: { type: 'hang', call: { id: longId } } });
    expect(first.callId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.callId).toBe(first.callId);
    expect(notes.notes).toEqual([{ path: '$.message.call.id', reason: 'call-id-too-long' }]);
    expect(map({ message: { type: 'hang', call: { id: 'y'.repeat(200) } } }).callId).toBe('y'.repeat(200));
  });

  it('bounds a status too long for its index', () => {
    const notes = new SanitizeNotes();
    const event = map(
      { message: { type: 'status-update', status: 's'.repeat(3000), call: { id: 'c' } } },
      notes,
    );
    expect(event.fields.status).toHaveLength(200);
    expect(notes.notes).toEqual([{ path: '$.message.status', reason: 'value-too-long' }]);
  });

  it('keeps everything a full report carries beyond the transcript', () => {
    const { fields } = map(vapiFixture('end-of-call-report-full', 'c1'));
    expect(fields).toMatchObject({
      call_type: 'outboundPhoneCall',
      campaign_id: 'cmp_5e8d2a41',
      customer_number: '+15555550100',
      customer_name: 'Pat Example',
      customer_email: 'pat@example.com',
      customer_external_id: 'crm_4821',
      vapi_phone_number: '+15555550199',
      recording_consent: { type: 'verbal', grantedAt: '2025-11-22T10:00:09.000Z' },
      structured_outputs: {
        '5b1e7c2a-9f0d-4a3e-8c61-0d2f4e6a8b10': {
          name: 'appointment',
          result: { confirmed: true, time: '2025-11-23T09:00:00-05:00', rate: '$100/hour' },
        },
        'c2d4f6a8-1b3e-4d5f-9a7c-2e4f6a8c0b12': { name: 'customerSentiment', result: 'positive' },
      },
      scorecards: {
        'e7a9c1b3-5d2f-4e6a-8b0c-3f5a7c9e1d24': {
          name: 'Booking quality',
          score: 90,
          metrics: [{ structuredOutputId: '5b1e7c2a-9f0d-4a3e-8c61-0d2f4e6a8b10', points: 90 }],
        },
      },
      transfers: [
        {
          destination: { type: 'number', number: '+15555550177', name: 'Pricing desk' },
          mode: 'warm-transfer-say-summary',
          status: 'busy',
          transcript: 'AI: I have Pat on the line about a plumbing booking.',
        },
      ],
      performance_metrics: expect.objectContaining({
        turnLatencyAverage: 1180,
        numUserInterrupted: 1,
        turnLatencies: [
          {
            modelLatency: 410,
            voiceLatency: 260,
            transcriberLatency: 180,
            endpointingLatency: 300,
            turnLatency: 1150,
          },
          {
            modelLatency: 430,
            voiceLatency: 240,
            transcriberLatency: 200,
            endpointingLatency: 340,
            turnLatency: 1210,
          },
        ],
      }),
      cost_breakdown: {
        transport: 0.0715,
        stt: 0.02,
        llm: 0.1702,
        tts: 0,
        vapi: 0.1895,
        total: 0.4512,
        llmPromptTokens: 5120,
        llmCompletionTokens: 410,
        ttsCharacters: 1840,
      },
    });
    expect(fields.costs).toHaveLength(5);
    expect(fields.costs?.[4]).toEqual({ type: 'vapi', subType: 'normal', minutes: 5.5, cost: 0.1895 });
    expect(fields.squad_id).toBeUndefined();
    expect(fields.workflow_id).toBeUndefined();
  });

  it('takes the variable values at the end of the call over the ones it started with', () => {
    expect(map(vapiFixture('end-of-call-report-full')).fields.variable_values).toEqual({
      providerName: "Joe's Plumbing",
      serviceNeeded: 'plumbing',
      appointmentTime: 'tomorrow 9am',
    });
    // A status update carries only the start values.
    expect(map(vapiFixture('status-update-in-progress')).fields.variable_values).toEqual({
      providerName: "Joe's Plumbing",
      serviceNeeded: 'plumbing',
    });
  });

  it('falls back to the start values when the report has no artifact.variableValues', () => {
    const event = map({
      message: {
        type: 'end-of-call-report',
        artifact: {},
        call: { id: 'c', assistantOverrides: { variableValues: { tier: 'gold' } } },
      },
    });
    expect(event.fields.variable_values).toEqual({ tier: 'gold' });
  });

  it("reads an outbound call's customer as the number called, not VAPI's number", () => {
    const { fields } = map(vapiFixture('end-of-call-report-full'));
    expect(fields.customer_number).toBe('+15555550100');
    expect(fields.vapi_phone_number).toBe('+15555550199');
  });

  it("reads an inbound call's customer as the caller, with the squad and consent from the call", () => {
    const { fields } = map(vapiFixture('end-of-call-report-inbound'));
    expect(fields).toMatchObject({
      call_type: 'inboundPhoneCall',
      squad_id: 'sq_2b7e9d10',
      customer_number: '+15555550163',
      customer_name: 'Sam Caller',
      vapi_phone_number: '+15555550199',
      recording_consent: { type: 'stay-on-line' },
    });
    expect(fields.customer_email).toBeUndefined();
    expect(fields.campaign_id).toBeUndefined();
  });

  it("leaves the customer number empty rather than taking VAPI's own number", () => {
    const { fields } = map(vapiFixture('end-of-call-report-legacy'));
    expect(fields.customer_number).toBeUndefined();
    expect(fields.vapi_phone_number).toBe('+15555550142');
  });

  it('reads the customer from call.customer when the message has none, field by field', () => {
    const event = map({
      message: {
        type: 'status-update',
        status: 'ringing',
        customer: { number: '+15555550111' },
        call: {
          id: 'c',
          type: 'webCall',
          workflowId: 'wf_71c0',
          customer: { number: '+15555550122', name: 'Lee', email: 'lee@example.com', externalId: 'x-9' },
        },
      },
    });
    expect(event.fields).toMatchObject({
      customer_number: '+15555550111',
      customer_name: 'Lee',
      customer_email: 'lee@example.com',
      customer_external_id: 'x-9',
      call_type: 'webCall',
      workflow_id: 'wf_71c0',
    });
  });

  it('drops a recording consent without a type instead of storing an unreadable one', () => {
    const event = map({
      message: {
        type: 'end-of-call-report',
        compliance: { recordingConsent: { grantedAt: '2025-11-22T10:00:09.000Z' } },
        call: { id: 'c' },
      },
    });
    expect(event.fields.recording_consent).toBeUndefined();
  });
});
