import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets without leaking, through timing, how much of them matched or how long the
 * expected one is: both sides are hashed to the same length first.
 */
export function constantTimeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True when `given` equals any of `candidates`; every candidate is compared, matched or not. */
export function matchesAny(given: string | Buffer, candidates: ReadonlyArray<string | Buffer>): boolean {
  let matched = false;
  for (const candidate of candidates) {
    if (constantTimeEqual(given, candidate)) matched = true;
  }
  return matched;
}
