// Does a retention purge running during webhook load raise ingest p99 by more than 10 % (issue 9)?
// Seeds a backlog of expired deliveries and calls, then alternates ingest rounds without a purge and
// with the API's retention worker purging throughout, paced as in production (docs/performance.md). Needs `pnpm build`; run with
// `pnpm bench:purge`. BENCH_PURGE_BACKLOG sets the expired deliveries (and calls) kept waiting before each round
// with the purge; the other BENCH_* settings are ingest.ts's. Prints figures; exits 0 whether goals are met.
import { createClient } from '@supabase/supabase-js';
import { DEFAULT_RETENTION_PAUSE_FACTOR } from '../src/lib/retention-pause.ts';
import { RETENTION_MAX_BATCH, type RetentionSettings } from '../src/services/retention-service.ts';
import { loadBenchSettings } from './support/bench-settings.ts';
import { startBenchStack } from './support/bench-stack.ts';
import { printGoal, printTable, summarize, type WorkFigures } from './support/figures.ts';
import { measureRound } from './support/measure.ts';
import { startPurgeLoop } from './support/purge-loop.ts';
import { expiredBacklog, topUpBacklog } from './support/retention-backlog.ts';
import { reportPayloads } from './support/vapi-report.ts';
import { signedIngest } from './support/workloads.ts';

/** RETENTION_PAUSE_FACTOR as the API reads it (its default unless set). */
const PAUSE_FACTOR = Number(process.env.RETENTION_PAUSE_FACTOR ?? DEFAULT_RETENTION_PAUSE_FACTOR);

// The defaults (30 d payloads, 90 d deliveries) with call retention on, so all three rules have work.
const retention: RetentionSettings = {
  payloadDays: 30,
  eventDays: 90,
  callDays: 365,
  batch: RETENTION_MAX_BATCH,
};

const settings = loadBenchSettings();
const payloads = reportPayloads(settings.BENCH_REPORT_BYTES);
console.log(
  `purge bench: ${payloads.bytes}-byte reports, ${settings.BENCH_CONNECTIONS} connections, ` +
    `${settings.BENCH_ROUNDS} rounds of ${settings.BENCH_DURATION_S} s without and with the purge, ` +
    `backlog ${settings.BENCH_PURGE_BACKLOG} expired deliveries, batch ${retention.batch}`,
);

const bench = await startBenchStack();
try {
  const supabase = createClient(bench.stack.url, bench.stack.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const seedStart = performance.now();
  const seeded = await topUpBacklog(bench.db, retention, settings.BENCH_PURGE_BACKLOG, 'seed');
  console.log(
    `seeded ${seeded.events} expired deliveries and ${seeded.calls} expired calls in ${Math.round(performance.now() - seedStart)} ms`,
  );

  await measureRound(bench, settings, signedIngest(bench.apiUrl, payloads, 'warm'), {
    label: 'warm-up ingest',
    durationSeconds: settings.BENCH_WARMUP_S,
    verifyWrites: true,
  });

  const without: WorkFigures = { work: 'ingest, no purge', rounds: [] };
  const withPurge: WorkFigures = { work: 'ingest, purge running', rounds: [] };
  for (let round = 1; round <= settings.BENCH_ROUNDS; round++) {
    const order = round % 2 ? [without, withPurge] : [withPurge, without];
    for (const figures of order) {
      const label = `round ${round} ${figures.work}`;
      const workload = signedIngest(
        bench.apiUrl,
        payloads,
        `${figures === without ? 'plain' : 'purge'}-${round}`,
      );
      if (figures === without) {
        figures.rounds.push(await measureRound(bench, settings, workload, { label, verifyWrites: true }));
        continue;
      }
      const backlog = await topUpBacklog(bench.db, retention, settings.BENCH_PURGE_BACKLOG, `round-${round}`);
      const loop = startPurgeLoop(supabase, retention, PAUSE_FACTOR);
      const result = await measureRound(bench, settings, workload, { label, verifyWrites: true });
      const purged = await loop.stop();
      figures.rounds.push(result);
      const left = await expiredBacklog(bench.db, retention);
      console.log(
        `  purge: ${purged.batches} batches, ${purged.payloadsCleared} payloads cleared, ${purged.eventsDeleted} deliveries ` +
          `and ${purged.callsDeleted} calls deleted, ${purged.lockedOut} locked out; backlog ${backlog.events} → ${left.events} deliveries, ${backlog.calls} → ${left.calls} calls` +
          (left.events === 0 || left.calls === 0 ? ' (RAN OUT: raise BENCH_PURGE_BACKLOG)' : ''),
      );
    }
  }

  console.log('');
  printTable([{ figures: withPurge, baseline: without }, { figures: without }]);
  console.log('goal (issue 9):');
  const p99Ratio = summarize(withPurge).p99Ms / summarize(without).p99Ms;
  printGoal(
    'ingest p99 with a purge running ≤ 1.10× without',
    `${p99Ratio.toFixed(2)}× (${summarize(withPurge).p99Ms} vs ${summarize(without).p99Ms} ms)`,
    p99Ratio <= 1.1,
  );
} finally {
  await bench.stop();
}
