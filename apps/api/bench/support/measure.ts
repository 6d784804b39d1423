import type { BenchSettings } from './bench-settings.ts';
import { type BenchStack, countCallRows } from './bench-stack.ts';
import { type LoadResult, runLoad } from './load-runner.ts';
import type { Workload } from './workloads.ts';

export interface RoundOptions {
  label: string;
  /** Count the rows afterwards: every 2xx write must have left its call row. */
  verifyWrites?: boolean;
  durationSeconds?: number;
}

/** One round of a workload at the configured concurrency, printed as it ends. */
export async function measureRound(
  bench: BenchStack,
  settings: BenchSettings,
  workload: Workload,
  options: RoundOptions,
): Promise<LoadResult> {
  const result = await runLoad({
    ...workload,
    connections: settings.BENCH_CONNECTIONS,
    durationSeconds: options.durationSeconds ?? settings.BENCH_DURATION_S,
  });
  let verified = '';
  if (options.verifyWrites) {
    const rows = await countCallRows(bench.db, result.okKeys);
    if (rows !== result.okKeys.length)
      throw new Error(
        `${options.label}: ${result.okKeys.length} writes answered 2xx but only ${rows} rows exist`,
      );
    verified = `, ${rows} rows verified`;
  }
  console.log(
    `${options.label}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ` +
      `${result.okKeys.length} 2xx, ${result.failed} non-2xx, ${result.errors} errors${verified}`,
  );
  return result;
}
