import { describe, expect, it } from 'vitest';
import { FailedAttemptWindow } from '../../../src/lib/failed-attempt-window.ts';

describe('FailedAttemptWindow', () => {
  it('locks a key out after `limit` failures until its window ends', () => {
    const window = new FailedAttemptWindow(3, 60_000);
    for (let count = 0; count < 3; count++) {
      expect(window.lockedFor('1.2.3.4', 1000)).toBe(0);
      window.fail('1.2.3.4', 1000);
    }
    expect(window.lockedFor('1.2.3.4', 1000)).toBe(60_000);
    expect(window.lockedFor('1.2.3.4', 60_999)).toBe(1);
    expect(window.lockedFor('1.2.3.4', 61_000)).toBe(0);
    expect(window.lockedFor('5.6.7.8', 1000)).toBe(0);
  });

  it('takes back a failure counted before a check that passed, never below zero', () => {
    const window = new FailedAttemptWindow(2, 60_000);
    window.fail('a', 0);
    window.fail('a', 0);
    expect(window.lockedFor('a', 0)).toBeGreaterThan(0);
    window.forgive('a', 0);
    expect(window.lockedFor('a', 0)).toBe(0);
    window.forgive('a', 0);
    window.forgive('a', 0);
    window.fail('a', 0);
    expect(window.lockedFor('a', 0)).toBe(0);
    window.forgive('unknown', 0);
    expect(window.lockedFor('unknown', 0)).toBe(0);
  });

  it('holds at most maxKeys clients, dropping the oldest', () => {
    const window = new FailedAttemptWindow(1, 60_000, 2);
    window.fail('first', 0);
    window.fail('second', 0);
    window.fail('third', 0);
    expect(window.lockedFor('first', 0)).toBe(0);
    expect(window.lockedFor('second', 0)).toBeGreaterThan(0);
    expect(window.lockedFor('third', 0)).toBeGreaterThan(0);
  });
});
