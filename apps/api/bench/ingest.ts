// Ingest and read throughput of the API against raw PostgREST doing the same per-webhook work, measured
// alternately in one run on one stack; reads with and without DATABASE_URL (docs/performance.md). Needs the production build: `pnpm build` (the root `pnpm bench:ingest` builds first).
// Run with `pnpm bench:ingest`; BENCH_CONNECTIONS, BENCH_DURATION_S, BENCH_ROUNDS, BENCH_WARMUP_S and
// BENCH_REPORT_BYTES, BENCH_STATUS_BYTES change the method; BENCH_READS=0 skips the reads, BENCH_WRITES=report
// runs one write kind.
// BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles both API processes. Prints its figures and goals; exits 0 whether goals are met.
import { loadBenchSettings } from './support/bench-settings.ts';
import { spawnBenchApi, startBenchStack } from './support/bench-stack.ts';
import {
  cpuMsPerDelivery,
  printCpuTable,
  printGoal,
  printTable,
  summarize,
  type WorkFigures,
} from './support/figures.ts';
import { measureRound } from './support/measure.ts';
import { reportPayloads, statusUpdatePayloads } from './support/vapi-report.ts';
import { apiReads, rawReads, rawUpsert, signedIngest, type Workload } from './support/workloads.ts';

const settings = loadBenchSettings();
const report = reportPayloads(settings.BENCH_REPORT_BYTES);
const status = statusUpdatePayloads(settings.BENCH_STATUS_BYTES);
console.log(
  `ingest bench: ${report.bytes}-byte end-of-call reports and ${status.bytes}-byte status updates, ` +
    `${settings.BENCH_CONNECTIONS} connections, ` +
    `${settings.BENCH_ROUNDS} rounds of ${settings.BENCH_DURATION_S} s per work after a ${settings.BENCH_WARMUP_S} s warm-up`,
);

const bench = await startBenchStack();
// A second API process on the same stack with DATABASE_URL set, so its single-call reads go over the
// direct connection; the first reads through PostgREST (and takes the webhooks).
const directApi = await spawnBenchApi(bench.stack, { DATABASE_URL: bench.stack.dbUrl });
try {
  const { stack } = bench;
  /** One kind of delivery: the API's signed ingest of it, and raw upserts of the same data. */
  const writeKinds = [
    { name: 'report', label: `${report.bytes} B end-of-call report`, payloads: report },
    { name: 'status', label: `${status.bytes} B status update`, payloads: status },
  ]
    .filter((kind) => settings.BENCH_WRITES.includes(kind.name as 'report' | 'status'))
    .map((kind) => ({
      ...kind,
      ingest: { work: `signed ingest, ${kind.label} (API)`, rounds: [] } as WorkFigures,
      raw: { work: `raw PostgREST upsert, ${kind.label}`, rounds: [] } as WorkFigures,
    }));
  const apiRead: WorkFigures = { work: 'GET /calls/:id (API, DATABASE_URL)', rounds: [] };
  const restApiRead: WorkFigures = { work: 'GET /calls/:id (API, PostgREST)', rounds: [] };
  const rawRead: WorkFigures = { work: 'raw PostgREST read', rounds: [] };
  const ingested: string[] = [];

  for (const kind of writeKinds) {
    // Warm-up: JIT, connection pools and the tables' first pages, for both sides; not counted.
    const warmup = { durationSeconds: settings.BENCH_WARMUP_S };
    const warmIngest = await measureRound(
      bench,
      settings,
      signedIngest(bench.apiUrl, kind.payloads, `warm-api-${kind.name}`),
      { ...warmup, label: `warm-up ingest (${kind.name})`, verifyWrites: true },
    );
    await measureRound(
      bench,
      settings,
      rawUpsert(stack.url, stack.serviceRoleKey, kind.payloads, `warm-raw-${kind.name}`),
      { ...warmup, label: `warm-up raw upsert (${kind.name})`, verifyWrites: true },
    );
    if (kind.payloads === report) ingested.push(...warmIngest.okKeys);

    // Alternated, and which side goes first alternates too, so drift on a shared box hits both.
    const writes: Array<[WorkFigures, (round: number) => Workload]> = [
      [kind.ingest, (round) => signedIngest(bench.apiUrl, kind.payloads, `api-${kind.name}-${round}`)],
      [
        kind.raw,
        (round) => rawUpsert(stack.url, stack.serviceRoleKey, kind.payloads, `raw-${kind.name}-${round}`),
      ],
    ];
    for (let round = 1; round <= settings.BENCH_ROUNDS; round++) {
      for (const [figures, workload] of round % 2 ? writes : [...writes].reverse()) {
        const result = await measureRound(bench, settings, workload(round), {
          label: `round ${round} ${figures.work}`,
          verifyWrites: true,
        });
        figures.rounds.push(result);
        if (figures === kind.ingest && kind.payloads === report) ingested.push(...result.okKeys);
      }
    }
  }

  const readRounds = settings.BENCH_READS === '1' ? settings.BENCH_ROUNDS : 0;
  const reads: Array<[WorkFigures, Workload]> = [
    [apiRead, apiReads(directApi.url, bench.apiKey, ingested)],
    [restApiRead, apiReads(bench.apiUrl, bench.apiKey, ingested)],
    [rawRead, rawReads(stack.url, stack.serviceRoleKey, ingested)],
  ];
  for (const url of readRounds ? [directApi.url, bench.apiUrl] : [])
    await measureRound(bench, settings, apiReads(url, bench.apiKey, ingested), {
      durationSeconds: settings.BENCH_WARMUP_S,
      label: 'warm-up API reads',
    });
  for (let round = 1; round <= readRounds; round++) {
    for (const [figures, workload] of round % 2 ? reads : [...reads].reverse())
      figures.rounds.push(
        await measureRound(bench, settings, workload, { label: `round ${round} ${figures.work}` }),
      );
  }

  console.log('');
  printTable([
    ...writeKinds.flatMap((kind) => [{ figures: kind.ingest, baseline: kind.raw }, { figures: kind.raw }]),
    ...(readRounds
      ? [
          { figures: apiRead, baseline: rawRead },
          { figures: restApiRead, baseline: rawRead },
          { figures: rawRead },
        ]
      : []),
  ]);
  console.log('');
  // The API's own CPU from /proc/<pid>/stat over each round; Postgres with its backends; "bench" is
  // this process: the load generator and the stack's /rest/v1 gateway.
  printCpuTable(writeKinds.flatMap((kind) => [kind.ingest, kind.raw]));
  console.log('');
  console.log('goals (issue 22; reads: issue 10):');
  for (const kind of writeKinds) {
    const apiCpu = cpuMsPerDelivery(kind.ingest, 'API');
    printGoal(`API CPU per ${kind.label} ≤ 0.5 ms`, `${apiCpu.toFixed(3)} ms`, apiCpu <= 0.5);
    const ratio = summarize(kind.ingest).requestsPerSecond / summarize(kind.raw).requestsPerSecond;
    printGoal(`ingest of ${kind.label}s ≥ 2× raw PostgREST upserts`, `${ratio.toFixed(2)}×`, ratio >= 2);
    const p99 = summarize(kind.ingest).p99Ms;
    printGoal(`ingest p99 (${kind.label}) ≤ 250 ms`, `${p99} ms`, p99 <= 250);
  }
  if (readRounds) {
    const readRatio = summarize(apiRead).requestsPerSecond / summarize(rawRead).requestsPerSecond;
    printGoal(
      'reads ≥ 0.8× raw PostgREST reads (with DATABASE_URL)',
      `${readRatio.toFixed(2)}×`,
      readRatio >= 0.8,
    );
  }
} finally {
  directApi.child.kill('SIGTERM');
  await directApi.exited;
  await bench.stop();
}
