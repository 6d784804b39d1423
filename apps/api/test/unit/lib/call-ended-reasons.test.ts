import { CALL_FAULTS, CALL_OUTCOMES } from '@callbridge/contracts';
import { Vapi } from '@vapi-ai/server-sdk';
import { describe, expect, it } from 'vitest';
import {
  CALL_ENDED_REASONS,
  classifyEndedReason,
  endedReasonsWithOutcome,
} from '../../../src/lib/call-ended-reasons.ts';
import { outcomeFilter } from '../../../src/lib/call-outcome-filter.ts';

// Read from the installed SDK, not copied: a new @vapi-ai/server-sdk that adds, drops or renames an
// ended reason fails here as it fails tsc on the table's type.
const sdkReasons = Object.values(Vapi.CallEndedReason);
const tableReasons = Object.keys(CALL_ENDED_REASONS);

describe('the ended-reasons table', () => {
  it('holds exactly the SDK’s 597 CallEndedReason values, no more and no fewer', () => {
    expect(sdkReasons).toHaveLength(597);
    expect(sdkReasons.filter((reason) => !tableReasons.includes(reason))).toEqual([]);
    expect(tableReasons.filter((reason) => !(sdkReasons as string[]).includes(reason))).toEqual([]);
  });

  it('covers the ended reasons the SDK’s status-update and end-of-call-report messages carry', () => {
    for (const name of ['ServerMessageStatusUpdateEndedReason', 'ServerMessageEndOfCallReportEndedReason']) {
      const values = Object.values((Vapi as unknown as Record<string, Record<string, string>>)[name] ?? {});
      expect(values.sort()).toEqual([...tableReasons].sort());
    }
  });

  it('gives every reason an outcome, a fault and a retry decision from the published sets', () => {
    for (const rule of Object.values(CALL_ENDED_REASONS)) {
      expect(CALL_OUTCOMES).toContain(rule.outcome);
      expect(CALL_FAULTS).toContain(rule.fault);
      expect(typeof rule.retryable).toBe('boolean');
    }
  });

  it('uses VAPI’s own fault prefixes', () => {
    // SIP 408 and 480 mean the callee did not pick up (VAPI's docs: "Phone rang but no answer").
    const noAnswer = new Set([
      'call.in-progress.error-providerfault-outbound-sip-408-request-timeout',
      'call.in-progress.error-providerfault-outbound-sip-480-temporarily-unavailable',
    ]);
    for (const [reason, rule] of Object.entries(CALL_ENDED_REASONS)) {
      if (reason.includes('-vapifault-')) expect([reason, rule.fault]).toEqual([reason, 'vapi']);
      if (reason.includes('-configfault-'))
        expect([reason, rule.fault]).toEqual([reason, 'assistant-configuration']);
      if (reason.includes('-providerfault-') && !noAnswer.has(reason))
        expect([reason, rule.fault]).toEqual([reason, 'provider']);
    }
  });

  it.each([
    // The examples of what the old patterns got wrong.
    ['pipeline-error-eleven-labs-system-busy-and-requested-upgrade', 'failed', true, 'provider'],
    ['assistant-not-valid', 'failed', false, 'assistant-configuration'],
    ['twilio-reported-customer-misdialed', 'failed', false, 'customer'],
    ['assistant-join-timed-out', 'failed', true, 'vapi'],
    ['worker-shutdown', 'failed', true, 'vapi'],
    ['call.forwarding.operator-busy', 'completed', false, 'none'],
    ['call.in-progress.error-providerfault-outbound-sip-408-request-timeout', 'no-answer', true, 'customer'],
    [
      'call.in-progress.error-providerfault-outbound-sip-480-temporarily-unavailable',
      'no-answer',
      true,
      'customer',
    ],
    // The everyday ones.
    ['customer-ended-call', 'completed', false, 'none'],
    ['assistant-ended-call', 'completed', false, 'none'],
    ['silence-timed-out', 'completed', false, 'none'],
    ['exceeded-max-duration', 'completed', false, 'none'],
    ['customer-busy', 'busy', true, 'customer'],
    ['customer-did-not-answer', 'no-answer', true, 'customer'],
    ['voicemail', 'voicemail', false, 'customer'],
    ['manually-canceled', 'canceled', false, 'none'],
    ['scheduled-call-deleted', 'canceled', false, 'none'],
    ['call.ringing.sip-inbound-caller-hungup-before-call-connect', 'canceled', false, 'customer'],
    // Faults: an outage retries, something to fix does not.
    ['call.in-progress.error-providerfault-openai-503-server-overloaded-error', 'failed', true, 'provider'],
    ['pipeline-error-openai-401-incorrect-api-key', 'failed', false, 'assistant-configuration'],
    ['pipeline-error-openai-500-server-error', 'failed', true, 'provider'],
    ['pipeline-error-deepgram-returning-500-invalid-json', 'failed', true, 'provider'],
    ['call.in-progress.error-vapifault-openai-429-exceeded-quota', 'failed', false, 'vapi'],
    ['call.in-progress.error-vapifault-worker-died', 'failed', true, 'vapi'],
    ['call.start.error-subscription-insufficient-credits', 'failed', false, 'assistant-configuration'],
    ['call.start.error-subscription-concurrency-limit-reached', 'failed', true, 'assistant-configuration'],
    ['call.in-progress.error-sip-outbound-call-failed-to-connect', 'failed', true, 'provider'],
  ] as const)('classifies %s as %s (retryable: %s, fault: %s)', (reason, outcome, retryable, fault) => {
    expect(classifyEndedReason(reason)).toEqual({ outcome, retryable, fault });
  });

  it.each([
    'call.in-progress.error-vapifault-some-provider-added-next-year',
    'twilio-reported-customer-busy',
    'Customer-Ended-Call',
    'hangup',
    '',
    null,
    undefined,
  ])('classifies %j, which the table does not hold, as failed, not retryable, fault unknown', (reason) => {
    expect(classifyEndedReason(reason)).toEqual({ outcome: 'failed', retryable: false, fault: null });
  });

  it('does not treat inherited object keys as ended reasons', () => {
    expect(classifyEndedReason('constructor')).toEqual({ outcome: 'failed', retryable: false, fault: null });
    expect(classifyEndedReason('toString').outcome).toBe('failed');
  });
});

describe('outcomeFilter', () => {
  it('selects each non-failed outcome by its listed reasons, quoted', () => {
    expect(outcomeFilter('busy')).toBe('ended_reason.in.("customer-busy")');
    expect(outcomeFilter('canceled')).toBe(
      'ended_reason.in.("scheduled-call-deleted","manually-canceled","call.ringing.sip-inbound-caller-hungup-before-call-connect","call-deleted")',
    );
  });

  it('selects failed as no reason or none of the other outcomes’ reasons', () => {
    const filter = outcomeFilter('failed');
    expect(filter.startsWith('ended_reason.is.null,ended_reason.not.in.(')).toBe(true);
    const listed = filter.match(/"[^"]+"/g)?.map((value) => value.slice(1, -1)) ?? [];
    const others = tableReasonsWhere((rule) => rule.outcome !== 'failed');
    expect(listed.sort()).toEqual(others.sort());
    expect(listed).not.toContain('pipeline-error-openai-500-server-error');
  });

  it('lists no reason under two outcomes', () => {
    const all = CALL_OUTCOMES.flatMap(endedReasonsWithOutcome);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(597);
  });
});

function tableReasonsWhere(
  keep: (rule: (typeof CALL_ENDED_REASONS)[keyof typeof CALL_ENDED_REASONS]) => boolean,
) {
  return Object.entries(CALL_ENDED_REASONS)
    .filter(([, rule]) => keep(rule))
    .map(([reason]) => reason);
}
