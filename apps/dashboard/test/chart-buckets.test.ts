import type { CallListItem } from '@callbridge/contracts';
import { describe, expect, it } from 'vitest';
import { bucketCallsByHour } from '../src/lib/chart-buckets.ts';

function call(createdAt: string, extra: Partial<CallListItem> = {}): CallListItem {
  return {
    callId: createdAt,
    status: 'ended',
    final: true,
    outcome: 'completed',
    retryable: false,
    fault: null,
    endedReason: 'customer-ended-call',
    startedAt: null,
    endedAt: null,
    durationSeconds: null,
    summary: null,
    successEvaluation: null,
    cost: null,
    customerNumber: null,
    assistantId: null,
    createdAt,
    lastEventType: null,
    updatedAt: createdAt,
    ...extra,
  };
}

describe('bucketCallsByHour', () => {
  const since = new Date('2026-11-23T10:30:00Z');
  const until = new Date('2026-11-23T13:00:00Z');

  it('gives every hour of the range a bucket, from the hour the range starts in', () => {
    const buckets = bucketCallsByHour([], since, until);
    expect(buckets.map((bucket) => new Date(bucket.start).toISOString())).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T11:00:00.000Z',
      '2026-11-23T12:00:00.000Z',
    ]);
    expect(buckets.every((bucket) => bucket.total === 0 && bucket.meanDurationSeconds === null)).toBe(true);
  });

  it('counts calls by outcome per hour, with mean duration and summed cost, and skips calls outside', () => {
    const buckets = bucketCallsByHour(
      [
        call('2026-11-23T11:05:00Z', { durationSeconds: 60, cost: 0.1 }),
        call('2026-11-23T11:59:59Z', { outcome: 'busy', durationSeconds: 0, cost: 0.02 }),
        call('2026-11-23T11:30:00Z', { status: 'in-progress', outcome: null, final: false }),
        call('2026-11-23T12:10:00Z', { outcome: 'failed' }),
        call('2026-11-23T10:10:00Z'),
        call('2026-11-23T13:00:00Z'),
      ],
      since,
      until,
    );
    const [first, second, third] = buckets;
    expect(first?.total).toBe(0);
    expect(second).toMatchObject({
      total: 3,
      completed: 1,
      busy: 1,
      running: 1,
      meanDurationSeconds: 30,
      cost: 0.12,
    });
    expect(third).toMatchObject({ total: 1, failed: 1, meanDurationSeconds: null, cost: 0 });
  });
});
