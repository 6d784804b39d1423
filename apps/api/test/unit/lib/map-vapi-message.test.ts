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

  it('falls back to the costs list when no cost breakdown is sent', () => {
    const event = map({
      message: { type: 'end-of-call-report', costs: [{ type: 'vapi', cost: 0.1 }], call: { id: 'c' } },
    });
    expect(event.fields.cost_breakdown).toEqual([{ type: 'vapi', cost: 0.1 }]);
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
});
