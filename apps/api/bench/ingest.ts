// Ingest and read throughput of the API against raw PostgREST doing the same per-webhook work, measured
// alternately in one run on one stack; reads with and without DATABASE_URL (README → Performance). Needs the production build: `pnpm build`.
// Run with `pnpm bench:ingest`; BENCH_CONNECTIONS, BENCH_DURATION_S, BENCH_ROUNDS, BENCH_WARMUP_S and
// BENCH_REPORT_BYTES change the method. Prints its figures and goals; exits 0 whether goals are met.
import { loadBenchSettings } from './support/bench-settings.ts';
import { spawnBenchApi, startBenchStack } from './support/bench-stack.ts';
import { printGoal, printTable, summarize, type WorkFigures } from './support/figures.ts';
import { measureRound } from './support/measure.ts';
import { reportPayloads } from './support/vapi-report.ts';
import { apiReads, rawReads, rawUpsert, signedIngest, type Workload } from './support/workloads.ts';

const settings = loadBenchSettings();
const payloads = reportPayloads(settings.BENCH_REPORT_BYTES);
console.log(
  `ingest bench: ${payloads.bytes}-byte end-of-call report, ${settings.BENCH_CONNECTIONS} connections, ` +
    `${settings.BENCH_ROUNDS} rounds of ${settings.BENCH_DURATION_S} s per work after a ${settings.BENCH_WARMUP_S} s warm-up`,
);

const bench = await startBenchStack();
// A second API process on the same stack with DATABASE_URL set, so its single-call reads go over the
// direct connection; the first reads through PostgREST (and takes the webhooks).
const directApi = await spawnBenchApi(bench.stack, { DATABASE_URL: bench.stack.dbUrl });
try {
  const { stack } = bench;
  const ingest: WorkFigures = { work: 'signed ingest (API)', rounds: [] };
  const raw: WorkFigures = { work: 'raw PostgREST upsert', rounds: [] };
  const apiRead: WorkFigures = { work: 'GET /calls/:id (API, DATABASE_URL)', rounds: [] };
  const restApiRead: WorkFigures = { work: 'GET /calls/:id (API, PostgREST)', rounds: [] };
  const rawRead: WorkFigures = { work: 'raw PostgREST read', rounds: [] };
  const ingested: string[] = [];

  // Warm-up: JIT, connection pools and the tables' first pages, for both sides; not counted.
  const warmup = { durationSeconds: settings.BENCH_WARMUP_S };
  const warmIngest = await measureRound(bench, settings, signedIngest(bench.apiUrl, payloads, 'warm-api'), {
    ...warmup,
    label: 'warm-up ingest',
    verifyWrites: true,
  });
  await measureRound(bench, settings, rawUpsert(stack.url, stack.serviceRoleKey, payloads, 'warm-raw'), {
    ...warmup,
    label: 'warm-up raw upsert',
    verifyWrites: true,
  });
  ingested.push(...warmIngest.okKeys);

  // Alternated, and which side goes first alternates too, so drift on a shared box hits both.
  const writes: Array<[WorkFigures, (round: number) => Workload]> = [
    [ingest, (round) => signedIngest(bench.apiUrl, payloads, `api-${round}`)],
    [raw, (round) => rawUpsert(stack.url, stack.serviceRoleKey, payloads, `raw-${round}`)],
  ];
  for (let round = 1; round <= settings.BENCH_ROUNDS; round++) {
    for (const [figures, workload] of round % 2 ? writes : [...writes].reverse()) {
      const result = await measureRound(bench, settings, workload(round), {
        label: `round ${round} ${figures.work}`,
        verifyWrites: true,
      });
      figures.rounds.push(result);
      if (figures === ingest) ingested.push(...result.okKeys);
    }
  }

  const reads: Array<[WorkFigures, Workload]> = [
    [apiRead, apiReads(directApi.url, bench.apiKey, ingested)],
    [restApiRead, apiReads(bench.apiUrl, bench.apiKey, ingested)],
    [rawRead, rawReads(stack.url, stack.serviceRoleKey, ingested)],
  ];
  for (const url of [directApi.url, bench.apiUrl])
    await measureRound(bench, settings, apiReads(url, bench.apiKey, ingested), {
      ...warmup,
      label: 'warm-up API reads',
    });
  for (let round = 1; round <= settings.BENCH_ROUNDS; round++) {
    for (const [figures, workload] of round % 2 ? reads : [...reads].reverse())
      figures.rounds.push(
        await measureRound(bench, settings, workload, { label: `round ${round} ${figures.work}` }),
      );
  }

  console.log('');
  printTable([
    { figures: ingest, baseline: raw },
    { figures: raw },
    { figures: apiRead, baseline: rawRead },
    { figures: restApiRead, baseline: rawRead },
    { figures: rawRead },
  ]);
  console.log('goals (issue 10):');
  const ingestRatio = summarize(ingest).requestsPerSecond / summarize(raw).requestsPerSecond;
  printGoal('ingest ≥ 1.5× raw PostgREST upserts', `${ingestRatio.toFixed(2)}×`, ingestRatio >= 1.5);
  const ingestP99 = summarize(ingest).p99Ms;
  printGoal('ingest p99 ≤ 250 ms', `${ingestP99} ms`, ingestP99 <= 250);
  const readRatio = summarize(apiRead).requestsPerSecond / summarize(rawRead).requestsPerSecond;
  printGoal(
    'reads ≥ 0.8× raw PostgREST reads (with DATABASE_URL)',
    `${readRatio.toFixed(2)}×`,
    readRatio >= 0.8,
  );
} finally {
  directApi.child.kill('SIGTERM');
  await directApi.exited;
  await bench.stop();
}
