// The local spool (issue 19, docs/performance.md, "Spool"), in one run on one
// stack: signed ingest with the database up, the same ingest with PostgREST and every Postgres process
// stopped (SIGSTOP: each delivery spooled and fdatasync'ed before its 2xx), and the drain once they
// resume; then the two spool engines side by side without a database. Needs the production build.
// Run with `pnpm bench:spool`; BENCH_CONNECTIONS, BENCH_DURATION_S, BENCH_ROUNDS, BENCH_WARMUP_S and
// BENCH_REPORT_BYTES change the method. Prints its figures and goals; exits 0 whether goals are met.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventRecord } from '../src/lib/prepare-vapi-delivery.ts';
import { parsePrometheusText, sampleValue } from '../test/support/prometheus-text.ts';
import { freezeStack } from '../test/support/stack-freeze.ts';
import { loadBenchSettings } from './support/bench-settings.ts';
import { BENCH_METRICS_TOKEN, countCallRows, startBenchStack } from './support/bench-stack.ts';
import { printGoal, printTable, summarize, type WorkFigures } from './support/figures.ts';
import { measureRound } from './support/measure.ts';
import { measureJournal, measureSqlite } from './support/spool-engines.ts';
import { reportPayloads } from './support/vapi-report.ts';
import { signedIngest } from './support/workloads.ts';

/** The steady rate measured on main in issue 19 (~14 webhooks/s): what a 10-minute backlog is made of. */
const OBSERVED_RATE_PER_SECOND = 14;

const settings = loadBenchSettings();
const payloads = reportPayloads(settings.BENCH_REPORT_BYTES);
console.log(
  `spool bench: ${payloads.bytes}-byte end-of-call report, ${settings.BENCH_CONNECTIONS} connections, ` +
    `${settings.BENCH_ROUNDS} rounds of ${settings.BENCH_DURATION_S} s per work after a ${settings.BENCH_WARMUP_S} s warm-up`,
);

const spoolDir = await mkdtemp(path.join(tmpdir(), 'callbridge-bench-spool-'));
const bench = await startBenchStack({
  SPOOL_DIR: spoolDir,
  SUPABASE_TIMEOUT_MS: '2000',
});
const spoolDepth = async () =>
  ((await (await fetch(`${bench.apiUrl}/ready`)).json()) as { spool?: { depth: number } }).spool?.depth ?? -1;
const spoolAppends = async () =>
  sampleValue(
    parsePrometheusText(
      await (
        await fetch(`${bench.apiUrl}/metrics`, {
          headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` },
        })
      ).text(),
    ).samples,
    'callbridge_spool_appends_total',
  );
/** Every 2xx must have its row once the spool is empty (a store later than SPOOL_AFTER_MS was spooled). */
async function verifyAfterDrain(keys: string[], label: string) {
  while ((await spoolDepth()) > 0) await sleep(50);
  const rows = await countCallRows(bench.db, keys);
  if (rows !== keys.length) throw new Error(`${label}: ${keys.length} answered 2xx but ${rows} rows exist`);
  return rows;
}
const drains: Array<{ deliveries: number; seconds: number }> = [];
let spooledWhileUp = 0;
let sentWhileUp = 0;
try {
  const normal: WorkFigures = { work: 'signed ingest, database up', rounds: [] };
  const spooled: WorkFigures = { work: 'signed ingest, database stopped (spooled)', rounds: [] };
  const warm = await measureRound(bench, settings, signedIngest(bench.apiUrl, payloads, 'warm'), {
    durationSeconds: settings.BENCH_WARMUP_S,
    label: 'warm-up ingest',
  });
  await verifyAfterDrain(warm.okKeys, 'warm-up');

  for (let round = 1; round <= settings.BENCH_ROUNDS; round++) {
    const appendsBefore = await spoolAppends();
    const up = await measureRound(bench, settings, signedIngest(bench.apiUrl, payloads, `up-${round}`), {
      label: `round ${round} ${normal.work}`,
    });
    normal.rounds.push(up);
    const late = (await spoolAppends()) - appendsBefore;
    spooledWhileUp += late;
    sentWhileUp += up.okKeys.length;
    const upRows = await verifyAfterDrain(up.okKeys, `round ${round} ${normal.work}`);
    console.log(`  ${upRows} rows verified; ${late} of them spooled (their store took over SPOOL_AFTER_MS)`);

    const frozen = freezeStack(bench.stack);
    let keys: string[];
    try {
      // The first deliveries wait SPOOL_AFTER_MS before they are spooled; after that the spool has a
      // backlog and every delivery goes straight to it. The steady state is what is measured.
      const warm = await measureRound(
        bench,
        settings,
        signedIngest(bench.apiUrl, payloads, `warm-down-${round}`),
        {
          durationSeconds: settings.BENCH_WARMUP_S,
          label: `round ${round} warm-up, database stopped`,
        },
      );
      const result = await measureRound(
        bench,
        settings,
        signedIngest(bench.apiUrl, payloads, `down-${round}`),
        {
          label: `round ${round} ${spooled.work}`,
        },
      );
      spooled.rounds.push(result);
      keys = [...warm.okKeys, ...result.okKeys];
    } finally {
      frozen.thaw();
    }
    const backlog = await spoolDepth();
    const startedAt = performance.now();
    while ((await spoolDepth()) > 0) await sleep(50);
    const seconds = (performance.now() - startedAt) / 1000;
    drains.push({ deliveries: backlog, seconds });
    const rows = await countCallRows(bench.db, keys);
    if (rows !== keys.length)
      throw new Error(
        `${keys.length} spooled deliveries answered 2xx but ${rows} rows exist after the drain`,
      );
    console.log(
      `round ${round} drain: ${backlog} deliveries in ${seconds.toFixed(1)} s (${(backlog / seconds).toFixed(0)}/s), ${rows} rows verified`,
    );
  }

  console.log('');
  printTable([{ figures: spooled, baseline: normal }, { figures: normal }]);
  const drainRates = drains.map((drain) => drain.deliveries / drain.seconds).sort((a, b) => a - b);
  const drainRate = drainRates[drainRates.length >> 1] as number;
  console.log(
    `drain: ${drainRates.map((rate) => rate.toFixed(0)).join(' / ')} deliveries/s, median ${drainRate.toFixed(0)}`,
  );
  console.log(
    `spooled while the database was up: ${spooledWhileUp} of ${sentWhileUp} (stores slower than SPOOL_AFTER_MS on this machine)`,
  );
  const up = summarize(normal);
  const down = summarize(spooled);
  console.log('goals (issue 19):');
  const ratio = down.requestsPerSecond / up.requestsPerSecond;
  printGoal('spooled ingest ≥ normal ingest', `${ratio.toFixed(2)}×`, ratio >= 1);
  printGoal('spooled ingest p99 ≤ 250 ms', `${down.p99Ms} ms`, down.p99Ms <= 250);
  const observedBacklogSeconds = (OBSERVED_RATE_PER_SECOND * 600) / drainRate;
  printGoal(
    `a 10-minute backlog at ${OBSERVED_RATE_PER_SECOND}/s (the issue's measured load) drains in < 2 min`,
    `${observedBacklogSeconds.toFixed(0)} s`,
    observedBacklogSeconds < 120,
  );
  const fullRateBacklogSeconds = (up.requestsPerSecond * 600) / drainRate;
  console.log(
    `  (a 10-minute backlog at this run's full ingest rate, ${up.requestsPerSecond.toFixed(0)}/s, would take ${fullRateBacklogSeconds.toFixed(0)} s)`,
  );
} finally {
  await bench.stop();
  await rm(spoolDir, { recursive: true, force: true });
}

// The engine choice, measured without a database: the same record, the same concurrency and durability.
const body = JSON.parse(payloads.signedWebhook('bench-engine').body) as unknown;
const record = (n: number): EventRecord => ({
  deliveryId: crypto.randomUUID(),
  sourceId: null,
  callId: `bench-engine-${n}`,
  eventType: 'end-of-call-report',
  eventAt: new Date().toISOString(),
  payloadBytes: payloads.bytes,
  outcome: 'stored',
  errorCode: null,
  payload: body,
  sanitized: null,
  isReport: true,
  fields: {},
});
console.log('');
console.log(
  `spool engines: ${settings.BENCH_CONNECTIONS} concurrent appenders, ${settings.BENCH_DURATION_S} s each`,
);
for (const engine of [
  await measureJournal(record, settings.BENCH_CONNECTIONS, settings.BENCH_DURATION_S),
  await measureSqlite(record, settings.BENCH_CONNECTIONS, settings.BENCH_DURATION_S),
]) {
  console.log(
    `  ${engine.engine}: ${engine.appendsPerSecond.toFixed(0)} durable appends/s, p99 ${engine.p99Ms.toFixed(1)} ms`,
  );
}
