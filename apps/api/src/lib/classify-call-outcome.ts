import type { CallOutcome } from '@callbridge/contracts';

export interface ClassifiedOutcome {
  outcome: CallOutcome;
  /** Busy and no-answer calls are worth placing again later; the rest are not. */
  retryable: boolean;
}

// VAPI has ~600 ended reasons and adds more (notes §3); families are matched by pattern so a new
// provider-specific variant (e.g. `twilio-reported-customer-busy`) lands in the right bucket.
// Tried in order; none matching means completed. The calls list filters with the same patterns in SQL.
export const OUTCOME_PATTERNS = [
  { outcome: 'busy', pattern: /busy/, retryable: true },
  { outcome: 'no-answer', pattern: /did-not-answer|no-answer|not-answered|ring-timeout/, retryable: true },
  { outcome: 'voicemail', pattern: /voicemail/, retryable: false },
  { outcome: 'failed', pattern: /error|fault|failed|unavailable|invalid|not-found/, retryable: false },
] as const satisfies readonly { outcome: CallOutcome; pattern: RegExp; retryable: boolean }[];

export function classifyCallOutcome(endedReason: string | null | undefined): ClassifiedOutcome {
  const reason = (endedReason ?? '').toLowerCase();
  const match = OUTCOME_PATTERNS.find((entry) => entry.pattern.test(reason));
  return match
    ? { outcome: match.outcome, retryable: match.retryable }
    : { outcome: 'completed', retryable: false };
}
