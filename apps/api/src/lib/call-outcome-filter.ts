import type { CallOutcome } from '@callbridge/contracts';
import { OUTCOME_PATTERNS } from './classify-call-outcome.ts';

/**
 * The PostgREST `or` filter selecting ended calls whose ended reason classifies as `outcome`, written
 * from the same patterns as classifyCallOutcome so the list and the result agree. Patterns are tried in
 * order, so an outcome means "matches its pattern and none before it".
 */
export function outcomeFilter(outcome: CallOutcome): string {
  const order = OUTCOME_PATTERNS.map((entry) => entry.outcome);
  const index = outcome === 'completed' ? order.length : order.indexOf(outcome);
  const earlier = OUTCOME_PATTERNS.slice(0, index).map(
    (entry) => `ended_reason.not.imatch.${quote(entry.pattern.source)}`,
  );
  const own = OUTCOME_PATTERNS[index];
  const conditions = own ? [`ended_reason.imatch.${quote(own.pattern.source)}`, ...earlier] : earlier;
  // A call that ended with no reason at all classifies as completed.
  return outcome === 'completed'
    ? `ended_reason.is.null,and(${conditions.join(',')})`
    : `and(${conditions.join(',')})`;
}

/** PostgREST reserves commas and parentheses; a double-quoted value may hold them. */
const quote = (value: string) => `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
