import { type KestraPushPolicy, type PushSettlement, pushRetryDelayMs } from './kestra-push-policy.ts';

/** Like the Kestra push: retrying stops once the next attempt would pass the max age. */
export type RelayRetryPolicy = KestraPushPolicy;
export type RelaySettlement = PushSettlement;

/** What one forward came to, as far as the retry rule needs to know. */
export interface RelayAttempt {
  /** The upstream's status; null when it never answered. */
  status: number | null;
  /** Why its answer was not usable (timeout, unreachable:…, status-5xx, too-large, …). */
  error: string | null;
}

/** A timeout or a rate limit passes; another 4xx (or a 3xx, never followed) will not change on a retry. */
const RETRYABLE_CLIENT_ERRORS = new Set([408, 425, 429]);

/**
 * An informational delivery is done once the team server answered 2xx, whatever its body (VAPI reads
 * none either). No answer, 5xx, 408, 425, 429: pending again after a backoff (full jitter, as the
 * Kestra push), or expired once that would pass the max age. Any other status: failed for good.
 */
export function settleRelayAttempt(
  attempt: RelayAttempt,
  row: { attempts: number; createdAt: Date },
  now: Date,
  policy: RelayRetryPolicy,
  random: () => number = Math.random,
): RelaySettlement {
  const { status } = attempt;
  if (status !== null && status >= 200 && status < 300)
    return { state: 'delivered', lastStatus: status, lastError: null, retryInMs: 0 };
  const lastError = attempt.error ?? `status-${status}`;
  const retryable = status === null || status >= 500 || RETRYABLE_CLIENT_ERRORS.has(status);
  if (!retryable) return { state: 'failed', lastStatus: status, lastError, retryInMs: 0 };
  const retryInMs = pushRetryDelayMs(row.attempts, policy.retry, random);
  if (now.getTime() + retryInMs > row.createdAt.getTime() + policy.maxAgeMs)
    return { state: 'expired', lastStatus: status, lastError, retryInMs: 0 };
  return { state: 'pending', lastStatus: status, lastError, retryInMs };
}
