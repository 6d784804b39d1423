import { CALL_OUTCOMES, type CallOutcome } from '@callbridge/contracts';
import { endedReasonsWithOutcome } from './call-ended-reasons.ts';

/**
 * The PostgREST `or` filter selecting ended calls whose ended reason has `outcome` in the ended-reasons
 * table, so the list and the result agree. `failed` is every reason no other outcome lists: errors, a
 * reason VAPI added after the table was written, and none at all, as classifyEndedReason decides.
 */
export function outcomeFilter(outcome: CallOutcome): string {
  if (outcome !== 'failed')
    return `ended_reason.in.(${endedReasonsWithOutcome(outcome).map(quote).join(',')})`;
  const notFailed = CALL_OUTCOMES.filter((other) => other !== 'failed').flatMap(endedReasonsWithOutcome);
  return `ended_reason.is.null,ended_reason.not.in.(${notFailed.map(quote).join(',')})`;
}

/** PostgREST reserves commas, dots and parentheses in a list; a double-quoted value may hold them. */
const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
