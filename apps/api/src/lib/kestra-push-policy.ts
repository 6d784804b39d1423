import type { KestraPushState } from '@callbridge/contracts';
import type { ResumeOutcome } from '@callbridge/kestra-client';

export interface KestraPushPolicy {
  /** Retrying stops once the next attempt would come later than this after the result became final. */
  maxAgeMs: number;
  retry: { baseDelayMs: number; maxDelayMs: number };
}

/** What one attempt comes to, as the outbox records it (settle_kestra_push). */
export interface PushSettlement {
  state: KestraPushState;
  lastStatus: number | null;
  lastError: string | null;
  /** Until the next attempt, when the state stays pending. */
  retryInMs: number;
}

/**
 * Statuses worth another attempt besides 409 and 5xx: a timeout or a rate limit pass, and a login
 * Kestra refuses (401, 403) can be mended by an operator without losing the pushes meanwhile.
 */
const RETRYABLE_CLIENT_ERRORS = new Set([401, 403, 408, 409, 429]);

/** Exponential backoff with full jitter, so pushes retrying together do not arrive in step. */
export function pushRetryDelayMs(
  failedAttempts: number,
  retry: KestraPushPolicy['retry'],
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Resumed: delivered. 404: failed for good, as Kestra knows no such execution (deleted, another
 * tenant, or a wrong KESTRA_URL); resuming it again cannot work. Another 4xx (bad inputs): failed too.
 * No answer, 5xx, 409 (not paused yet) and the statuses above: pending again after a backoff, or
 * expired once that backoff would pass the max age.
 */
export function settlePushAttempt(
  outcome: ResumeOutcome,
  push: { attempts: number; createdAt: Date },
  now: Date,
  policy: KestraPushPolicy,
  random: () => number = Math.random,
): PushSettlement {
  if (outcome.outcome === 'resumed') {
    return { state: 'delivered', lastStatus: outcome.status, lastError: null, retryInMs: 0 };
  }
  const lastError = outcome.message;
  const retryable =
    outcome.status === null || outcome.status >= 500 || RETRYABLE_CLIENT_ERRORS.has(outcome.status);
  if (!retryable) return { state: 'failed', lastStatus: outcome.status, lastError, retryInMs: 0 };

  const retryInMs = pushRetryDelayMs(push.attempts, policy.retry, random);
  const giveUpAt = push.createdAt.getTime() + policy.maxAgeMs;
  if (now.getTime() + retryInMs > giveUpAt) {
    return { state: 'expired', lastStatus: outcome.status, lastError, retryInMs: 0 };
  }
  return { state: 'pending', lastStatus: outcome.status, lastError, retryInMs };
}
