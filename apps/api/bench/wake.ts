// How fast a long poll wakes once its call's end-of-call report is stored, and what idle long polls
// cost. One throwaway local stack, three production API processes (dist/server.js) on it: A and B with
// DATABASE_URL (LISTEN/NOTIFY), C without (the baseline: the batched check once a second).
// Run with `pnpm --filter @callbridge/api bench:wake` (builds first). BENCH_WAKE_CALLS sets the calls
// per scenario (default 100), BENCH_IDLE_POLLS the idle long polls of the memory figure (default 1000).
import { type ClientRequest, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalSupabase } from '@callbridge/supabase-local';
import { parsePrometheusText, sampleValue } from '../test/support/prometheus-text.ts';
import { vapiHmacHeaders } from '../test/support/sign-webhook.ts';
import type { SpawnedApi } from '../test/support/spawned-api.ts';
import { uniqueCallId, vapiFixture } from '../test/support/vapi-fixtures.ts';
import { BENCH_API_KEY, BENCH_METRICS_TOKEN, spawnBenchApi } from './support/bench-stack.ts';

const CALLS = Number(process.env.BENCH_WAKE_CALLS ?? 100);
const IDLE_POLLS = Number(process.env.BENCH_IDLE_POLLS ?? 1000);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

async function postWebhook(api: SpawnedApi, payload: unknown): Promise<void> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${api.url}/api/v1/vapi/webhook`, {
    method: 'POST',
    headers: { ...vapiHmacHeaders(body), 'content-type': 'application/json' },
    body,
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  await response.arrayBuffer();
}

/** A long poll on its own socket (no pooling: a thousand must wait at once). */
function longPoll(api: SpawnedApi, callId: string, waitSeconds: number) {
  let req: ClientRequest | undefined;
  const answered = new Promise<{ status: number; at: number }>((resolve, reject) => {
    req = httpRequest(
      `${api.url}/api/v1/vapi/calls/${encodeURIComponent(callId)}?wait=${waitSeconds}`,
      { headers: { authorization: `Bearer ${BENCH_API_KEY}` }, agent: false },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, at: performance.now() }));
      },
    );
    req.on('error', reject);
    req.end();
  });
  return { answered, abort: () => req?.destroy() };
}

async function metrics(api: SpawnedApi) {
  const headers = { authorization: `Bearer ${BENCH_METRICS_TOKEN}` };
  const text = await (await fetch(`${api.url}/metrics`, { headers })).text();
  return parsePrometheusText(text).samples;
}

async function waitersOn(api: SpawnedApi, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (sampleValue(await metrics(api), 'callbridge_long_poll_waiters') >= count) return;
    await sleep(50);
  }
  throw new Error(`${count} long polls did not all reach the instance`);
}

/** Parks CALLS long polls on `waiting`, then stores each report through `storing`, one after another. */
async function measureWake(waiting: SpawnedApi, storing: SpawnedApi): Promise<number[]> {
  const callIds = Array.from({ length: CALLS }, () => uniqueCallId('bench-wake'));
  for (const callId of callIds) await postWebhook(storing, vapiFixture('status-update-in-progress', callId));
  const polls = callIds.map((callId) => longPoll(waiting, callId, 60));
  await waitersOn(waiting, CALLS);
  const latencies: number[] = [];
  for (const [index, callId] of callIds.entries()) {
    // Random gaps, so reports land at every phase of the periodic check.
    await sleep(Math.random() * 200);
    await postWebhook(storing, vapiFixture('end-of-call-report', callId));
    const stored = performance.now();
    const poll = polls[index];
    if (!poll) throw new Error('no poll');
    void poll.answered.then((answer) => {
      if (answer.status !== 200) throw new Error(`long poll answered ${answer.status}`);
      latencies.push(answer.at - stored);
    });
  }
  await Promise.all(polls.map((poll) => poll.answered));
  await sleep(10);
  return latencies;
}

async function memory(api: SpawnedApi) {
  const samples = await metrics(api);
  return {
    rssMb: sampleValue(samples, 'process_resident_memory_bytes') / 2 ** 20,
    heapMb: sampleValue(samples, 'nodejs_heap_size_used_bytes') / 2 ** 20,
  };
}

const stack = await startLocalSupabase();
const apis: SpawnedApi[] = [];
try {
  const start = async (databaseUrl: string | undefined) => {
    // DATABASE_URL empty: that instance runs without LISTEN, on the batched check alone.
    const api = await spawnBenchApi(stack, { DATABASE_URL: databaseUrl ?? '' });
    apis.push(api);
    return api;
  };
  const [a, b, c] = [await start(stack.dbUrl), await start(stack.dbUrl), await start(undefined)];
  for (const api of [a, b]) {
    const deadline = Date.now() + 10_000;
    while (sampleValue(await metrics(api), 'callbridge_result_listener_connected') !== 1) {
      if (Date.now() > deadline) throw new Error('the result listener did not connect');
      await sleep(50);
    }
  }

  const cross = await measureWake(a, b);
  const same = await measureWake(a, a);
  const baseline = await measureWake(c, b);

  const before = await memory(a);
  const idle = Array.from({ length: IDLE_POLLS }, () => longPoll(a, uniqueCallId('bench-idle'), 60));
  await waitersOn(a, IDLE_POLLS);
  await sleep(2000);
  const after = await memory(a);
  for (const poll of idle) {
    poll.abort();
    poll.answered.catch(() => undefined);
  }

  const line = (label: string, values: number[]) =>
    console.log(
      `${label.padEnd(44)}p50 ${percentile(values, 50).toFixed(0).padStart(4)} ms   p99 ${percentile(values, 99).toFixed(0).padStart(4)} ms   max ${Math.max(
        ...values,
      )
        .toFixed(0)
        .padStart(4)} ms`,
    );
  console.log(`\nwake after the report's 2xx, ${CALLS} calls each (one local stack, 3 API processes):`);
  line('cross-instance, LISTEN/NOTIFY', cross);
  line('same instance, LISTEN/NOTIFY', same);
  line('cross-instance, no DATABASE_URL (baseline)', baseline);
  console.log(
    `baseline / LISTEN, cross-instance: p50 ×${(percentile(baseline, 50) / Math.max(1, percentile(cross, 50))).toFixed(1)}, p99 ×${(percentile(baseline, 99) / Math.max(1, percentile(cross, 99))).toFixed(1)}`,
  );
  const per1000 = (mb: number) => ((mb * 1000) / IDLE_POLLS).toFixed(1);
  console.log(
    `\n${IDLE_POLLS} idle long polls on instance A: RSS ${before.rssMb.toFixed(1)} → ${after.rssMb.toFixed(1)} MB (${per1000(after.rssMb - before.rssMb)} MB per 1,000), heap ${before.heapMb.toFixed(1)} → ${after.heapMb.toFixed(1)} MB (${per1000(after.heapMb - before.heapMb)} MB per 1,000)`,
  );
} finally {
  for (const api of apis) api.child.kill('SIGTERM');
  await Promise.all(apis.map((api) => api.exited));
  await stack.stop();
}
