import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents } from '../../support/database.ts';
import { parsePrometheusText, type Sample, sampleValue } from '../../support/prometheus-text.ts';
import {
  REQUEST_RESPONSE_MESSAGE_TYPES,
  type RequestResponseMessageType,
  requestResponseMessage,
} from '../../support/request-response-messages.ts';
import { buildTestApp, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId } from '../../support/vapi-fixtures.ts';

const METRICS_TOKEN = 'metrics-token-answers-4c3b2a1';
const DEFAULT_ANSWERS = 'callbridge_vapi_default_answers_total';

async function scrape(app: TestApp): Promise<Sample[]> {
  const response = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.statusCode).toBe(200);
  return parsePrometheusText(response.body).samples;
}

const undecidedCount = async (app: TestApp, type: string) =>
  sampleValue(await scrape(app), DEFAULT_ANSWERS, { type, reason: 'not-relayed' });

/** Posts a request-response message, then checks it was stored as an event like any other message. */
async function ask(app: TestApp, type: RequestResponseMessageType, extra: Record<string, unknown> = {}) {
  const callId = uniqueCallId(type.replaceAll('.', '-'));
  const response = await postWebhook(app, requestResponseMessage(type, callId, extra));
  const events = await callEvents(callId);
  expect(events).toEqual([expect.objectContaining({ event_type: type, outcome: 'stored' })]);
  expect(events[0]?.payload).toMatchObject({ message: { type, call: { id: callId } } });
  return response;
}

const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((app) => app.close())));
async function appWith(overrides: Record<string, string> = {}) {
  const app = await buildTestApp({ METRICS_TOKEN, ...overrides });
  apps.push(app);
  return app;
}

describe('request-response types without a relay: the SDK’s shape, the message stored', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await appWith();
  });

  // Written out from the SDK's ServerMessageResponse* and VAPI's docs (docs/vapi-setup.md "Default answers").
  const expected: Record<Exclude<RequestResponseMessageType, 'voice-request'>, unknown> = {
    'tool-calls': {
      results: [
        {
          toolCallId: 'call_tool_1',
          name: 'lookupOpeningHours',
          error: 'No handler is configured for tool lookupOpeningHours on this server',
        },
      ],
    },
    'assistant-request': { error: 'Sorry, this number is not set up to take calls right now.' },
    'campaign.predial': { eligible: true },
    'transfer-destination-request': { error: 'No transfer destination is configured on this server' },
    'handoff-destination-request': {
      destination: {},
      error: 'No handoff destination is configured on this server',
    },
    'knowledge-base-request': { documents: [] },
    'call.endpointing.request': { timeoutSeconds: 0.4 },
  };

  it.each(Object.entries(expected))('answers %s with %j and counts it as no decision', async (type, body) => {
    const before = await undecidedCount(app, type);
    const response = await ask(app, type as RequestResponseMessageType);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(body);
    expect(await undecidedCount(app, type)).toBe(before + 1);
  });

  it('answers voice-request with raw 16-bit mono PCM silence at the requested sample rate', async () => {
    const before = await undecidedCount(app, 'voice-request');
    const response = await ask(app, 'voice-request');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    // 100 ms at 16 kHz, 2 bytes a sample, one channel: 3200 bytes of zeros; no JSON anywhere.
    expect(response.rawPayload.length).toBe(3200);
    expect(response.rawPayload.every((byte) => byte === 0)).toBe(true);
    expect(await undecidedCount(app, 'voice-request')).toBe(before + 1);
  });

  it('answers a hostile sample rate with the SDK example’s 24 kHz, not a huge buffer', async () => {
    const response = await ask(app, 'voice-request', { sampleRate: 1e12 });
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.rawPayload.length).toBe(4800);
  });

  it('covers every request-response type of the SDK', () => {
    expect([...Object.keys(expected), 'voice-request'].sort()).toEqual(
      [...REQUEST_RESPONSE_MESSAGE_TYPES].sort(),
    );
  });

  it('does not count informational messages as default answers', async () => {
    const before = sampleValue(await scrape(app), DEFAULT_ANSWERS);
    const callId = uniqueCallId('status');
    const response = await postWebhook(app, {
      message: { type: 'status-update', status: 'ringing', call: { id: callId } },
    });
    expect(response.json()).toEqual({ success: true, received: 'status-update' });
    expect(sampleValue(await scrape(app), DEFAULT_ANSWERS)).toBe(before);
  });
});

describe('request-response types with configured answers', () => {
  let app: TestApp;
  const transfer = {
    type: 'number',
    number: '+14155550123',
    message: 'Transferring you to the front desk.',
  };
  const handoff = { type: 'assistant', assistantName: 'Billing' };
  beforeAll(async () => {
    app = await appWith({
      VAPI_ASSISTANT_ID: 'asst_front_desk',
      VAPI_CAMPAIGN_PREDIAL_ELIGIBLE: 'false',
      VAPI_TRANSFER_DESTINATION: JSON.stringify(transfer),
      VAPI_HANDOFF_DESTINATION: JSON.stringify(handoff),
      VAPI_ENDPOINTING_TIMEOUT_SECONDS: '1.5',
      VAPI_VOICE_REQUEST_SILENCE_MS: '0',
    });
  });

  it.each([
    ['assistant-request', { assistantId: 'asst_front_desk' }],
    ['transfer-destination-request', { destination: transfer }],
    ['handoff-destination-request', { destination: handoff }],
  ] as const)('answers %s with the configured decision, not counted as a default', async (type, body) => {
    const before = await undecidedCount(app, type);
    const response = await ask(app, type);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(body);
    expect(await undecidedCount(app, type)).toBe(before);
  });

  it('skips campaign contacts with VAPI_CAMPAIGN_PREDIAL_ELIGIBLE=false', async () => {
    const response = await ask(app, 'campaign.predial');
    expect(response.json()).toEqual({ eligible: false });
  });

  it('answers endpointing with VAPI_ENDPOINTING_TIMEOUT_SECONDS', async () => {
    const response = await ask(app, 'call.endpointing.request');
    expect(response.json()).toEqual({ timeoutSeconds: 1.5 });
  });

  it('answers voice-request with an empty PCM body when VAPI_VOICE_REQUEST_SILENCE_MS=0', async () => {
    const response = await ask(app, 'voice-request');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.rawPayload.length).toBe(0);
  });
});
