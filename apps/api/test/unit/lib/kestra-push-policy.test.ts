import type { ResumeOutcome } from '@callbridge/kestra-client';
import { describe, expect, it } from 'vitest';
import { pushRetryDelayMs, settlePushAttempt } from '../../../src/lib/kestra-push-policy.ts';

const policy = { maxAgeMs: 60_000, retry: { baseDelayMs: 100, maxDelayMs: 1000 } };
const createdAt = new Date('2026-11-23T10:00:00Z');
const at = (ms: number) => new Date(createdAt.getTime() + ms);
const settle = (outcome: ResumeOutcome, attempts = 1, now = at(0)) =>
  settlePushAttempt(outcome, { attempts, createdAt }, now, policy, () => 1);

describe('pushRetryDelayMs', () => {
  it('doubles from the first delay after each failed attempt and stays between half and all of it', () => {
    expect([1, 2, 3].map((attempt) => pushRetryDelayMs(attempt, policy.retry, () => 0))).toEqual([
      50, 100, 200,
    ]);
    expect([1, 2, 3].map((attempt) => pushRetryDelayMs(attempt, policy.retry, () => 1))).toEqual([
      100, 200, 400,
    ]);
  });

  it('never waits longer than the maximum, however many attempts failed', () => {
    expect(pushRetryDelayMs(50, policy.retry, () => 1)).toBe(1000);
    expect(pushRetryDelayMs(5000, policy.retry, () => 1)).toBe(1000);
  });
});

describe('settlePushAttempt', () => {
  it('marks a resumed execution delivered', () => {
    expect(settle({ outcome: 'resumed', status: 204 })).toEqual({
      state: 'delivered',
      lastStatus: 204,
      lastError: null,
      retryInMs: 0,
    });
  });

  it('retries 409, 5xx, no answer, rate limits and refused logins after a backoff', () => {
    const retried: Array<Exclude<ResumeOutcome, { outcome: 'resumed' }>> = [
      { outcome: 'not-paused-yet', status: 409, message: 'not paused' },
      { outcome: 'failed', status: 503, message: 'Service Unavailable' },
      { outcome: 'failed', status: null, message: 'TypeError: fetch failed (ECONNREFUSED)' },
      { outcome: 'failed', status: 429, message: 'Too Many Requests' },
      { outcome: 'failed', status: 401, message: 'Unauthorized' },
    ];
    for (const outcome of retried) {
      expect(settle(outcome, 3)).toEqual({
        state: 'pending',
        lastStatus: outcome.status,
        lastError: outcome.message,
        retryInMs: 400,
      });
    }
  });

  it('fails for good on an unknown execution and on inputs Kestra refuses', () => {
    expect(settle({ outcome: 'not-found', status: 404, message: 'Execution not found' })).toMatchObject({
      state: 'failed',
      lastStatus: 404,
      lastError: 'Execution not found',
    });
    expect(settle({ outcome: 'failed', status: 422, message: 'Invalid input' })).toMatchObject({
      state: 'failed',
      lastStatus: 422,
    });
  });

  it('expires instead of retrying when the next attempt would come after the max age', () => {
    const outcome: ResumeOutcome = { outcome: 'not-paused-yet', status: 409, message: 'not paused' };
    expect(settle(outcome, 1, at(59_800))).toMatchObject({ state: 'pending', retryInMs: 100 });
    expect(settle(outcome, 1, at(59_950))).toEqual({
      state: 'expired',
      lastStatus: 409,
      lastError: 'not paused',
      retryInMs: 0,
    });
  });
});
