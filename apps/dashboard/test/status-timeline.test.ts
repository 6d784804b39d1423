import type { VapiEvent } from '@callbridge/contracts';
import { describe, expect, it } from 'vitest';
import { statusTimeline } from '../src/lib/status-timeline.ts';

let nextId = 1;
function event(type: string, eventAt: string, extra: Partial<VapiEvent> = {}): VapiEvent {
  return {
    id: nextId++,
    deliveryId: null,
    callId: 'call-1',
    type,
    outcome: 'stored',
    errorCode: null,
    receivedAt: eventAt,
    eventAt,
    payloadBytes: 100,
    replayOf: null,
    sourceId: null,
    relay: null,
    ...extra,
  };
}
const status = (value: string, at: string) =>
  event('status-update', at, { payload: { message: { type: 'status-update', status: value } } });

describe('statusTimeline', () => {
  it('orders deliveries by VAPI time, so a late delivery lands where it happened', () => {
    const entries = statusTimeline([
      status('in-progress', '2026-11-23T10:00:03Z'),
      status('queued', '2026-11-23T10:00:00Z'),
      event('end-of-call-report', '2026-11-23T10:01:00Z'),
      status('ringing', '2026-11-23T10:00:01Z'),
    ]);
    expect(entries.map((entry) => [entry.kind, entry.label])).toEqual([
      ['status', 'queued'],
      ['status', 'ringing'],
      ['status', 'in-progress'],
      ['report', 'end-of-call report'],
    ]);
  });

  it('folds a run of live updates into one entry, but keeps failures apart', () => {
    const entries = statusTimeline([
      status('in-progress', '2026-11-23T10:00:00Z'),
      event('speech-update', '2026-11-23T10:00:01Z', { payload: undefined }),
      event('transcript[transcriptType="final"]', '2026-11-23T10:00:02Z'),
      event('speech-update', '2026-11-23T10:00:03Z'),
      event('conversation-update', '2026-11-23T10:00:04Z', {
        outcome: 'failed',
        errorCode: 'database-rejected:22P05',
      }),
      status('ended', '2026-11-23T10:00:05Z'),
    ]);
    expect(entries.map((entry) => entry.label)).toEqual([
      'in-progress',
      'speech-update, transcript',
      'conversation-update',
      'ended',
    ]);
    expect(entries[2]).toMatchObject({ outcome: 'failed', errorCode: 'database-rejected:22P05' });
  });

  it('uses the receive time when VAPI sent none, and the type when a status update has no status', () => {
    const entries = statusTimeline([
      event('status-update', '2026-11-23T10:00:05Z', { eventAt: null, payload: null }),
      status('queued', '2026-11-23T10:00:00Z'),
    ]);
    expect(entries.map((entry) => entry.label)).toEqual(['queued', 'status-update']);
  });
});
