import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, getCall, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

/** A live update as VAPI sends it while the call runs: the start values, a shorter customer record. */
function lateStatusUpdate(callId: string, timestamp: number) {
  const payload = vapiFixture('status-update-in-progress', callId);
  const message = payload.message as Record<string, unknown> & { call: Record<string, unknown> };
  message.timestamp = timestamp;
  message.customer = { number: '+15555550100', name: 'P. Example' };
  message.call.customer = { number: '+15555550100', name: 'P. Example' };
  return payload;
}

// What the full report carries beyond the transcript, as the call result shows it.
const REPORT_FIELDS = {
  variableValues: {
    providerName: "Joe's Plumbing",
    serviceNeeded: 'plumbing',
    appointmentTime: 'tomorrow 9am',
  },
  callType: 'outboundPhoneCall',
  campaignId: 'cmp_5e8d2a41',
  customerNumber: '+15555550100',
  customerName: 'Pat Example',
  customerEmail: 'pat@example.com',
  customerExternalId: 'crm_4821',
  structuredOutputs: {
    '5b1e7c2a-9f0d-4a3e-8c61-0d2f4e6a8b10': {
      name: 'appointment',
      result: { confirmed: true, time: '2025-11-23T09:00:00-05:00', rate: '$100/hour' },
    },
    'c2d4f6a8-1b3e-4d5f-9a7c-2e4f6a8c0b12': { name: 'customerSentiment', result: 'positive' },
  },
  scorecards: {
    'e7a9c1b3-5d2f-4e6a-8b0c-3f5a7c9e1d24': expect.objectContaining({ name: 'Booking quality', score: 90 }),
  },
  transfers: [expect.objectContaining({ mode: 'warm-transfer-say-summary', status: 'busy' })],
  performanceMetrics: expect.objectContaining({ turnLatencyAverage: 1180, numUserInterrupted: 1 }),
  recordingConsent: { type: 'verbal', grantedAt: '2025-11-22T10:00:09.000Z' },
  costBreakdown: expect.objectContaining({ total: 0.4512, llmPromptTokens: 5120 }),
  costs: [
    expect.objectContaining({ type: 'transport', cost: 0.0715 }),
    expect.objectContaining({ type: 'transcriber', cost: 0.02 }),
    expect.objectContaining({ type: 'model', cost: 0.1702 }),
    expect.objectContaining({ type: 'voice', cost: 0 }),
    expect.objectContaining({ type: 'vapi', cost: 0.1895 }),
  ],
};

describe("the report's fields on the call result, whatever order VAPI's messages arrive in", () => {
  it('keeps them when a live update arrives after the report', async () => {
    const callId = uniqueCallId();
    expect((await postWebhook(app, vapiFixture('end-of-call-report-full', callId))).statusCode).toBe(200);
    // VAPI does not order its deliveries: a status update sent earlier can arrive later.
    expect((await postWebhook(app, lateStatusUpdate(callId, 1763805700000))).statusCode).toBe(200);

    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({ final: true, ...REPORT_FIELDS });
  });

  it('takes them over the live update that came first', async () => {
    const callId = uniqueCallId();
    await postWebhook(app, lateStatusUpdate(callId, 1763805700000));
    const running = await getCall(app, callId);
    expect(running.json()).toMatchObject({ known: true, callStatus: 'in-progress' });

    await postWebhook(app, vapiFixture('end-of-call-report-full', callId));
    const response = await getCall(app, callId);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject(REPORT_FIELDS);
  });

  it("reads an inbound caller as the customer and never takes VAPI's own number for theirs", async () => {
    const inbound = uniqueCallId();
    await postWebhook(app, vapiFixture('end-of-call-report-inbound', inbound));
    expect((await getCall(app, inbound)).json().data).toMatchObject({
      callType: 'inboundPhoneCall',
      squadId: 'sq_2b7e9d10',
      customerNumber: '+15555550163',
      customerName: 'Sam Caller',
      vapiPhoneNumber: '+15555550199',
      recordingConsent: { type: 'stay-on-line' },
      campaignId: null,
      customerEmail: null,
    });

    const numberless = uniqueCallId();
    await postWebhook(app, vapiFixture('end-of-call-report-legacy', numberless));
    expect((await getCall(app, numberless)).json().data).toMatchObject({
      customerNumber: null,
      vapiPhoneNumber: '+15555550142',
    });
  });

  it('documents each of them in the call result schema at /docs', async () => {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    // The call result sits under data; refs are resolved by name, since the generator may inline or not.
    const schemas = document.components.schemas;
    const resolve = (schema: { $ref?: string }) =>
      schema.$ref ? schemas[schema.$ref.replace('#/components/schemas/', '')] : schema;
    const data = resolve(resolve(schemas.CallResultResponse).properties.data);
    expect(Object.keys(data.properties)).toEqual(expect.arrayContaining(Object.keys(REPORT_FIELDS)));
  });
});
