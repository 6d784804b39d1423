import { describe, expect, it } from 'vitest';
import { FailedAttemptWindow } from '../../../src/lib/failed-attempt-window.ts';

describe('FailedAttemptWindow', () => {
  it('locks a key at the limit until its window ends, then lets it try again', () => {
    const window = new FailedAttemptWindow(3, 60_000);
    for (const at of [0, 10, 20]) {
      expect(window.lockedFor('a', at)).toBe(0);
      window.fail('a', at);
    }
    expect(window.lockedFor('a', 30)).toBe(60_000 - 30);
    expect(window.lockedFor('b', 30)).toBe(0);
    expect(window.lockedFor('a', 60_000)).toBe(0);
    window.fail('a', 60_000);
    expect(window.lockedFor('a', 60_001)).toBe(0);
  });

  it('forgets the oldest key past its bound, so a flood of addresses cannot grow it', () => {
    const window = new FailedAttemptWindow(1, 60_000, 2);
    window.fail('first', 0);
    window.fail('second', 0);
    window.fail('third', 0);
    expect(window.lockedFor('first', 1)).toBe(0);
    expect(window.lockedFor('second', 1)).toBeGreaterThan(0);
    expect(window.lockedFor('third', 1)).toBeGreaterThan(0);
  });
});
