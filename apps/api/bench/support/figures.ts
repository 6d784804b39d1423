import type { LoadResult } from './load-runner.ts';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export interface WorkFigures {
  work: string;
  rounds: Array<LoadResult & { cpuMsPerDelivery?: Map<string, number> }>;
}

/** Median over the rounds of one process's CPU milliseconds per 2xx answer. */
export function cpuMsPerDelivery(figures: WorkFigures, process: string): number {
  return median(figures.rounds.map((round) => round.cpuMsPerDelivery?.get(process) ?? Number.NaN));
}

/** Per work, each process's CPU per 2xx answer (median round), and their sum. */
export function printCpuTable(works: WorkFigures[]): void {
  const processes = [
    ...new Set(works.flatMap((work) => [...(work.rounds[0]?.cpuMsPerDelivery?.keys() ?? [])])),
  ];
  const header = ['CPU ms per 2xx (median round)', ...processes, 'total'];
  const lines = works.map((work) => {
    const perProcess = processes.map((name) => cpuMsPerDelivery(work, name));
    const total = perProcess.reduce((sum, ms) => sum + ms, 0);
    return [work.work, ...[...perProcess, total].map((ms) => ms.toFixed(3))];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  for (const line of [header, ...lines])
    console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
}

export interface Summary {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Medians over the rounds: one noisy round does not decide the figure. */
export function summarize(figures: WorkFigures): Summary {
  return {
    requestsPerSecond: median(figures.rounds.map((round) => round.requestsPerSecond)),
    p50Ms: median(figures.rounds.map((round) => round.p50Ms)),
    p99Ms: median(figures.rounds.map((round) => round.p99Ms)),
  };
}

/** One table line per work: req/s per round and median, median p50 and p99, ratio to its baseline. */
export function printTable(rows: Array<{ figures: WorkFigures; baseline?: WorkFigures }>): void {
  const header = ['work', 'req/s per round', 'req/s median', 'p50 ms', 'p99 ms', 'vs baseline'];
  const lines = rows.map(({ figures, baseline }) => {
    const summary = summarize(figures);
    const ratio = baseline
      ? `${(summary.requestsPerSecond / summarize(baseline).requestsPerSecond).toFixed(2)}×`
      : '';
    return [
      figures.work,
      figures.rounds.map((round) => round.requestsPerSecond.toFixed(0)).join(' / '),
      summary.requestsPerSecond.toFixed(0),
      summary.p50Ms.toFixed(0),
      summary.p99Ms.toFixed(0),
      ratio,
    ];
  });
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  for (const line of [header, ...lines])
    console.log(line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  '));
}

/** A goal line: what was asked, what was measured, met or not. Reported, never a failing exit. */
export function printGoal(goal: string, measured: string, met: boolean): void {
  console.log(`  ${met ? 'PASS' : 'FAIL'}  ${goal}: measured ${measured}`);
}
