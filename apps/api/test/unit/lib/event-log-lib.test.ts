import { describe, expect, it } from 'vitest';
import { decodeEventCursor, encodeEventCursor } from '../../../src/lib/event-log-cursor.ts';
import { toVapiEvent } from '../../../src/lib/to-vapi-event.ts';
import { messageTypeLabel } from '../../../src/lib/vapi-message-types.ts';

describe('event log cursor', () => {
  it('round-trips the position it was given', () => {
    expect(decodeEventCursor(encodeEventCursor({ before: 4182 }))).toEqual({ before: 4182 });
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['JSON that is not a position', Buffer.from('{"after":3}').toString('base64url')],
    ['a negative id', Buffer.from('{"before":-3}').toString('base64url')],
    ['an id past 2^53', Buffer.from('{"before":1e300}').toString('base64url')],
  ])('refuses %s', (_label, text) => {
    expect(decodeEventCursor(text)).toBeUndefined();
  });
});

describe('messageTypeLabel', () => {
  it('keeps the types VAPI documents and folds everything else into "other"', () => {
    expect(messageTypeLabel('end-of-call-report')).toBe('end-of-call-report');
    expect(messageTypeLabel('assistant.speechStarted')).toBe('assistant.speechStarted');
    expect(messageTypeLabel('call-5f0e-4d7a')).toBe('other');
    expect(messageTypeLabel('+15555550100')).toBe('other');
    expect(messageTypeLabel('unknown')).toBe('other');
  });
});

describe('toVapiEvent', () => {
  const row = {
    id: 7,
    delivery_id: null,
    call_id: 'c1',
    event_type: 'hang',
    received_at: '2026-11-23T10:00:00.123456+00:00',
    event_at: null,
    payload_bytes: 12,
    outcome: 'stored' as const,
    error_code: null,
    replay_of: null,
    source_id: null,
    relay_status: null,
    relay_ms: null,
    relay_error: null,
  };

  it('leaves payload and sanitized out when they were not read', () => {
    expect(toVapiEvent(row)).toEqual({
      id: 7,
      deliveryId: null,
      callId: 'c1',
      type: 'hang',
      outcome: 'stored',
      errorCode: null,
      receivedAt: '2026-11-23T10:00:00.123Z',
      eventAt: null,
      payloadBytes: 12,
      replayOf: null,
      sourceId: null,
      relay: null,
    });
  });

  it('shows what the relay did when the delivery was relayed', () => {
    expect(toVapiEvent({ ...row, relay_status: null, relay_ms: 6001, relay_error: 'timeout' }).relay).toEqual(
      {
        status: null,
        ms: 6001,
        error: 'timeout',
      },
    );
  });

  it('includes them, null included, when they were', () => {
    expect(toVapiEvent({ ...row, payload: null, sanitized: null })).toMatchObject({
      payload: null,
      sanitized: null,
    });
  });
});
