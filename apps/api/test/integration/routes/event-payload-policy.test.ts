import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents } from '../../support/database.ts';
import { buildTestApp, postWebhook, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

/** A fixture, or one with its message type changed for the types that have no fixture of their own. */
function delivery(fixture: string, callId: string, type?: string) {
  const payload = vapiFixture(fixture, callId) as { message: { type: string } };
  if (type) payload.message.type = type;
  return payload;
}

const KEPT: [string, string, string?][] = [
  ['status-update', 'status-update-in-progress'],
  ['end-of-call-report', 'end-of-call-report'],
  ['hang', 'hang'],
  ['tool-calls', 'tool-calls'],
  ['assistant-request', 'assistant-request'],
  ['transfer-destination-request', 'hang', 'transfer-destination-request'],
  ['an unknown type', 'future-type'],
];
const METADATA_ONLY: [string, string, string?][] = [
  ['conversation-update', 'conversation-update'],
  ['speech-update', 'speech-update'],
  ['model-output', 'model-output'],
  ['transcript', 'transcript'],
  ['user-interrupted', 'user-interrupted'],
  ['voice-input', 'speech-update', 'voice-input'],
];

async function loggedRow(app: TestApp, fixture: string, type?: string) {
  const callId = uniqueCallId('policy');
  expect((await postWebhook(app, delivery(fixture, callId, type))).statusCode).toBe(200);
  const [row] = await callEvents(callId);
  return row;
}

describe('the payload policy (default)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it.each(KEPT)('keeps the payload of %s', async (_, fixture, type) => {
    const row = await loggedRow(app, fixture, type);
    expect(row?.payload).toMatchObject({ message: { type: type ?? expect.any(String) } });
  });

  it.each(METADATA_ONLY)('logs %s as metadata only: type, time, size, outcome', async (_, fixture, type) => {
    const row = await loggedRow(app, fixture, type);
    expect(row).toMatchObject({
      event_type: expect.stringMatching(new RegExp(`^${type ?? fixture}(\\[|$)`)),
      payload: null,
      outcome: expect.any(String),
      received_at: expect.any(Date),
    });
    expect(row?.payload_bytes).toBeGreaterThan(0);
  });

  it('still merges a call from a metadata-only delivery', async () => {
    const callId = uniqueCallId('policy-merge');
    expect((await postWebhook(app, vapiFixture('conversation-update', callId))).statusCode).toBe(200);
    expect((await callEvents(callId))[0]).toMatchObject({ outcome: 'stored', payload: null });
  });
});

describe('the payload policy, configured', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await buildTestApp({ EVENT_PAYLOAD_METADATA_ONLY_TYPES: 'hang, tool-calls' });
  });
  afterAll(() => app.close());

  it('drops the payloads of the listed types and keeps every other', async () => {
    expect((await loggedRow(app, 'hang'))?.payload).toBeNull();
    expect((await loggedRow(app, 'tool-calls'))?.payload).toBeNull();
    expect((await loggedRow(app, 'conversation-update'))?.payload).not.toBeNull();
  });
});
