import type { CallOutcome } from '@callbridge/contracts';

export interface ClassifiedOutcome {
  outcome: CallOutcome;
  /** Busy and no-answer calls are worth placing again later; the rest are not. */
  retryable: boolean;
}

// VAPI has ~600 ended reasons and adds more (notes §3); families are matched by pattern so a new
// provider-specific variant (e.g. `twilio-reported-customer-busy`) lands in the right bucket.
const BUSY = /busy/;
const NO_ANSWER = /did-not-answer|no-answer|not-answered|ring-timeout/;
const VOICEMAIL = /voicemail/;
const FAILURE = /error|fault|failed|unavailable|invalid|not-found/;

export function classifyCallOutcome(endedReason: string | null | undefined): ClassifiedOutcome {
  const reason = (endedReason ?? '').toLowerCase();
  if (BUSY.test(reason)) return { outcome: 'busy', retryable: true };
  if (NO_ANSWER.test(reason)) return { outcome: 'no-answer', retryable: true };
  if (VOICEMAIL.test(reason)) return { outcome: 'voicemail', retryable: false };
  if (FAILURE.test(reason)) return { outcome: 'failed', retryable: false };
  return { outcome: 'completed', retryable: false };
}
