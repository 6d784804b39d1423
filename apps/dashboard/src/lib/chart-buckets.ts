import { CALL_OUTCOMES, type CallListItem, type CallOutcome } from '@callbridge/contracts';

export type OutcomeOrRunning = CallOutcome | 'running';

export interface HourBucket extends Record<OutcomeOrRunning, number> {
  /** Start of the hour, epoch ms. */
  start: number;
  total: number;
  /** Mean duration of the calls with one, in seconds; null when none had one. */
  meanDurationSeconds: number | null;
  cost: number;
}

export const HOUR_MS = 3_600_000;

/**
 * Calls per hour of creation over [since, until), split by outcome (`running` while not ended), with
 * the mean duration and the summed cost of each hour. Every hour of the range gets a bucket, empty
 * ones included, so the chart's time axis has no gaps.
 */
export function bucketCallsByHour(calls: CallListItem[], since: Date, until: Date): HourBucket[] {
  const first = Math.floor(since.getTime() / HOUR_MS) * HOUR_MS;
  const buckets: HourBucket[] = [];
  const durations: number[][] = [];
  for (let start = first; start < until.getTime(); start += HOUR_MS) {
    const empty = Object.fromEntries(CALL_OUTCOMES.map((outcome) => [outcome, 0])) as Record<
      CallOutcome,
      number
    >;
    buckets.push({ start, ...empty, running: 0, total: 0, meanDurationSeconds: null, cost: 0 });
    durations.push([]);
  }
  for (const call of calls) {
    const created = Date.parse(call.createdAt);
    if (created < since.getTime() || created >= until.getTime()) continue;
    const index = Math.floor((created - first) / HOUR_MS);
    const bucket = buckets[index];
    if (!bucket) continue;
    bucket[call.outcome ?? 'running'] += 1;
    bucket.total += 1;
    bucket.cost += call.cost ?? 0;
    if (call.durationSeconds !== null) durations[index]?.push(call.durationSeconds);
  }
  buckets.forEach((bucket, index) => {
    const list = durations[index] ?? [];
    bucket.meanDurationSeconds = list.length
      ? list.reduce((sum, value) => sum + value, 0) / list.length
      : null;
    bucket.cost = Math.round(bucket.cost * 10_000) / 10_000;
  });
  return buckets;
}
