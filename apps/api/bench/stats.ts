// Times GET /api/v1/vapi/stats's one database call (vapi_stats) over 1,000,000 deliveries and 100,000
// calls, all inside the default 24 h window (the worst case: nothing is outside the range scans).
// Starts its own throwaway local stack; run with `pnpm --filter @callbridge/api bench:stats`.
import { startLocalSupabase } from '@callbridge/supabase-local';
import { createClient } from '@supabase/supabase-js';
import pg from 'pg';

const CALLS = 100_000;
const EVENTS = 1_000_000;
const RUNS = 7;

const stack = await startLocalSupabase();
try {
  const db = new pg.Client({ connectionString: stack.dbUrl });
  await db.connect();
  const seedStart = performance.now();
  await db.query(
    `insert into vapi_call_results (call_id, status, ended_reason, duration_seconds, cost, created_at)
     select 'bench-' || i,
       (array['ended', 'ended', 'ended', 'in-progress', 'queued'])[1 + i % 5],
       (array['customer-ended-call', 'customer-busy', 'customer-did-not-answer', 'voicemail',
              'pipeline-error-openai-llm-failed', 'assistant-ended-call'])[1 + i % 6],
       (i % 600)::numeric, round((i % 100) / 100.0, 2),
       now() - interval '23 hours' * random()
     from generate_series(1, $1) as i`,
    [CALLS],
  );
  await db.query(
    `insert into vapi_webhook_events (call_id, event_type, outcome, error_code, payload_bytes, received_at)
     select 'bench-' || (i % $2),
       (array['status-update', 'conversation-update', 'speech-update', 'end-of-call-report', 'transcript'])[1 + i % 5],
       case when i % 1000 = 0 then 'failed' when i % 997 = 0 then 'rejected' when i % 3 = 0 then 'acknowledged' else 'stored' end,
       case when i % 1000 = 0 then 'database-rejected:' || (array['22P02', '23514', '54000'])[1 + i % 3]
            when i % 997 = 0 then 'invalid-message' end,
       800, now() - interval '23 hours' * random()
     from generate_series(1, $1) as i`,
    [EVENTS, CALLS],
  );
  await db.query('vacuum analyze vapi_call_results, vapi_webhook_events');
  console.log(
    `seeded ${CALLS} calls and ${EVENTS} deliveries in ${Math.round(performance.now() - seedStart)} ms`,
  );
  await db.end();

  const supabase = createClient(stack.url, stack.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const until = new Date();
  const since = new Date(until.getTime() - 24 * 60 * 60 * 1000);
  const timings: number[] = [];
  let figures: unknown;
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const response = await supabase.rpc('vapi_stats', {
      p_since: since.toISOString(),
      p_until: until.toISOString(),
    });
    timings.push(performance.now() - start);
    if (response.error) throw new Error(`vapi_stats failed: ${response.error.message}`);
    figures = response.data;
  }
  const sorted = [...timings].sort((a, b) => a - b);
  console.log(JSON.stringify(figures, null, 2));
  console.log(`vapi_stats over ${EVENTS} deliveries and ${CALLS} calls, ${RUNS} runs through PostgREST:`);
  console.log(`  runs   ${timings.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  console.log(
    `  median ${sorted[Math.floor(RUNS / 2)]?.toFixed(0)} ms, max ${sorted[RUNS - 1]?.toFixed(0)} ms`,
  );
} finally {
  await stack.stop();
}
