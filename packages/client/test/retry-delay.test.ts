import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelayMs } from '../src/retry-delay.ts';

describe('retryDelayMs', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the ceiling each attempt and stays between half and all of it', () => {
    expect([0, 1, 2].map((attempt) => retryDelayMs(attempt, policy, () => 0))).toEqual([50, 100, 200]);
    expect([0, 1, 2].map((attempt) => retryDelayMs(attempt, policy, () => 1))).toEqual([100, 200, 400]);
  });

  it('never exceeds the maximum', () => {
    expect(retryDelayMs(20, policy, () => 1)).toBe(1000);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
