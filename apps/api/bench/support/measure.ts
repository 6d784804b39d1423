import type { BenchSettings } from './bench-settings.ts';
import { type BenchStack, countCallRows } from './bench-stack.ts';
import { type LoadResult, runLoad } from './load-runner.ts';
import { cpuSince, readCpu } from './process-cpu.ts';
import type { Workload } from './workloads.ts';

export interface RoundOptions {
  label: string;
  /** Count the rows afterwards: every 2xx write must have left its call row. */
  verifyWrites?: boolean;
  durationSeconds?: number;
}

/** Bench process (load generator and the stack's /rest/v1 gateway): process.cpuUsage, in seconds. */
function benchCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export interface RoundResult extends LoadResult {
  /** CPU milliseconds per 2xx answer, per process (API, PostgREST, Postgres, bench), over the round. */
  cpuMsPerDelivery: Map<string, number>;
}

/** One round of a workload at the configured concurrency, printed as it ends. */
export async function measureRound(
  bench: BenchStack,
  settings: BenchSettings,
  workload: Workload,
  options: RoundOptions,
): Promise<RoundResult> {
  const processes = bench.cpuProcesses();
  const cpuBefore = readCpu(processes);
  const benchBefore = benchCpuSeconds();
  const load = await runLoad({
    ...workload,
    connections: settings.BENCH_CONNECTIONS,
    durationSeconds: options.durationSeconds ?? settings.BENCH_DURATION_S,
  });
  const cpu = cpuSince(cpuBefore, readCpu(processes));
  cpu.set('bench', benchCpuSeconds() - benchBefore);
  const answered = Math.max(1, load.okKeys.length);
  const cpuMsPerDelivery = new Map([...cpu].map(([name, seconds]) => [name, (seconds * 1000) / answered]));
  const result: RoundResult = { ...load, cpuMsPerDelivery };
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
      `${result.okKeys.length} 2xx, ${result.failed} non-2xx, ${result.errors} errors${verified}; CPU ms per 2xx: ` +
      [...cpuMsPerDelivery].map(([name, ms]) => `${name} ${ms.toFixed(3)}`).join(', '),
  );
  return result;
}
