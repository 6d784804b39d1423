import { describe, expect, it } from 'vitest';
import { settleRelayAttempt } from '../../../src/lib/relay-retry-policy.ts';

const policy = { maxAgeMs: 240_000, retry: { baseDelayMs: 1000, maxDelayMs: 30_000 } };
const createdAt = new Date('2026-12-03T10:00:00.000Z');
const row = { attempts: 1, createdAt };
const justAfter = new Date(createdAt.getTime() + 100);
const half = () => 0.5;

describe('settleRelayAttempt', () => {
  it('is delivered on any 2xx, even when the body was too large to read', () => {
    expect(settleRelayAttempt({ status: 200, error: 'too-large' }, row, justAfter, policy)).toEqual({
      state: 'delivered',
      lastStatus: 200,
      lastError: null,
      retryInMs: 0,
    });
  });

  it.each([
    [null, 'unreachable:ECONNREFUSED'],
    [null, 'timeout'],
    [503, 'status-503'],
    [429, null],
    [408, null],
  ])('retries status %s (%s) with a jittered backoff', (status, error) => {
    expect(settleRelayAttempt({ status, error }, row, justAfter, policy, half)).toMatchObject({
      state: 'pending',
      lastStatus: status,
      retryInMs: 750,
    });
  });

  it.each([400, 401, 404, 307])(
    'fails %s for good: the same signed bytes would get the same answer',
    (status) => {
      expect(settleRelayAttempt({ status, error: null }, row, justAfter, policy)).toMatchObject({
        state: 'failed',
        lastStatus: status,
        lastError: `status-${status}`,
      });
    },
  );

  it('expires once the next attempt would come after the max age', () => {
    const late = new Date(createdAt.getTime() + policy.maxAgeMs - 100);
    expect(settleRelayAttempt({ status: 502, error: 'status-502' }, row, late, policy, half)).toMatchObject({
      state: 'expired',
    });
  });
});
