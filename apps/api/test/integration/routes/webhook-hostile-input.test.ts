import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, callRow } from '../../support/database.ts';
import { buildTestApp, getCall, postSignedBody, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

let app: TestApp;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

type Message = Record<string, unknown> & { call: Record<string, unknown> };

interface HostileCase {
  /** The fixture the delivery starts from; a report must make the call final. */
  fixture: 'end-of-call-report' | 'status-update-in-progress';
  /** Changes the message. */
  spoil?: (message: Message, callId: string) => void;
  /** Changes the body text, for what JSON.stringify would not write. */
  rewriteBody?: (body: string) => string;
  /** The key the call ends up under, when sanitizing changes it. */
  storedAs?: (callId: string) => string;
  reason: string;
}

const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const CASES: Record<string, HostileCase> = {
  'NUL in the transcript': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      (m.artifact as Record<string, unknown>).transcript = 'AI: hel\u0000lo';
    },
    reason: 'nul-removed',
  },
  'NUL in a structuredData key and value': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      (m.analysis as Record<string, unknown>).structuredData = { 'ke\u0000y': 'va\u0000lue' };
    },
    reason: 'nul-removed',
  },
  'NUL in call.id': {
    fixture: 'end-of-call-report',
    spoil: (m, callId) => {
      m.call.id = `${callId}\u0000`;
    },
    reason: 'nul-removed',
  },
  'NUL in message.type of a status update': {
    fixture: 'status-update-in-progress',
    spoil: (m) => {
      m.type = 'status-\u0000update';
    },
    reason: 'nul-removed',
  },
  'a lone surrogate in the transcript': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      (m.artifact as Record<string, unknown>).transcript = 'AI: x\ud800y';
    },
    reason: 'lone-surrogate-replaced',
  },
  'a lone surrogate in a key': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      m['\udc00odd'] = 1;
    },
    reason: 'lone-surrogate-replaced',
  },
  'message.timestamp of 1e15 ms': {
    fixture: 'status-update-in-progress',
    spoil: (m) => {
      m.timestamp = 1e15;
    },
    reason: 'date-out-of-range',
  },
  'message.timestamp of 8.64e15 ms': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      m.timestamp = 8.64e15;
    },
    reason: 'date-out-of-range',
  },
  'message.timestamp of -1e12': {
    fixture: 'status-update-in-progress',
    spoil: (m) => {
      m.timestamp = -1e12;
    },
    reason: 'date-out-of-range',
  },
  'message.timestamp in the year -5000': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      m.timestamp = '-005000-01-01T00:00:00Z';
    },
    reason: 'date-out-of-range',
  },
  'a report startedAt in the year 275760': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      m.startedAt = '+275760-09-13T00:00:00.000Z';
    },
    reason: 'date-out-of-range',
  },
  'a report startedAt in the year -5000': {
    fixture: 'end-of-call-report',
    spoil: (m) => {
      m.startedAt = '-005000-01-01T00:00:00Z';
    },
    reason: 'date-out-of-range',
  },
  'a call.id of 5 KB': {
    fixture: 'end-of-call-report',
    spoil: (m, callId) => {
      m.call.id = callId.padEnd(5000, 'x');
    },
    storedAs: (callId) => `sha256:${createHash('sha256').update(callId.padEnd(5000, 'x')).digest('hex')}`,
    reason: 'call-id-too-long',
  },
  'a status of 3 KB': {
    fixture: 'status-update-in-progress',
    spoil: (m) => {
      m.status = 's'.repeat(3000);
    },
    reason: 'value-too-long',
  },
  'JSON nested 5,000 deep': {
    fixture: 'end-of-call-report',
    rewriteBody: (body) => body.replace('"summary":', `"nested":${deep(5000)},"summary":`),
    reason: 'too-deep',
  },
  'JSON nested 100,000 deep': {
    fixture: 'end-of-call-report',
    rewriteBody: (body) => body.replace('"summary":', `"nested":${deep(100_000)},"summary":`),
    reason: 'too-deep',
  },
};

describe('POST /api/v1/vapi/webhook: hostile but authentic input is stored, never refused', () => {
  it.each(Object.entries(CASES))('stores %s, noting what it changed', async (_label, hostile) => {
    const callId = uniqueCallId('hostile');
    const payload = vapiFixture(hostile.fixture, callId) as { message: Message };
    hostile.spoil?.(payload.message, callId);
    const json = JSON.stringify(payload);
    const response = await postSignedBody(app, hostile.rewriteBody?.(json) ?? json);

    expect(response.statusCode).toBe(200);
    const key = hostile.storedAs?.(callId) ?? callId;
    const [event, ...others] = await callEvents(key);
    expect(others).toEqual([]);
    expect(event).toMatchObject({ outcome: 'stored', error_code: null });
    expect(event?.sanitized).toMatchObject({
      changes: expect.arrayContaining([expect.objectContaining({ reason: hostile.reason })]),
    });
    expect(await callRow(key)).toBeDefined();
    if (hostile.fixture === 'end-of-call-report') {
      const result = await getCall(app, key);
      expect(result.statusCode).toBe(200);
      expect(result.json().data).toMatchObject({ final: true, finalReason: 'end-of-call-report' });
    }
  });

  it('merges every usable field of a report with one bad date', async () => {
    const callId = uniqueCallId('bad-date');
    const payload = vapiFixture('end-of-call-report', callId) as { message: Message };
    payload.message.startedAt = '+275760-09-13T00:00:00.000Z';
    expect((await postSignedBody(app, JSON.stringify(payload))).statusCode).toBe(200);
    expect(await callRow(callId)).toMatchObject({
      started_at: null,
      ended_at: new Date('2025-11-22T10:05:35.000Z'),
      transcript: expect.stringContaining('Concierge'),
      summary: expect.any(String),
      report_received_at: expect.any(Date),
    });
  });

  it('answers a body that is not JSON with 400, the one deliberate refusal', async () => {
    const response = await postSignedBody(app, '{"message": {"type": "hang"');
    expect(response.statusCode).toBe(400);
  });
});
