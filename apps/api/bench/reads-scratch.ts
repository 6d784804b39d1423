// Throwaway: GET /api/v1/vapi/calls/:callId against the built API vs a raw PostgREST point read of the
// same row, side by side in one run (64 connections, 8 s rounds, alternated three times).
// Run after `pnpm build`: `node --import tsx bench/reads-scratch.ts` from apps/api.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalSupabase } from '@callbridge/supabase-local';
import autocannon from 'autocannon';
import getPort from 'get-port';
import { CALL_ROW_COLUMNS } from '../src/schemas/call-row-schema.ts';
import { TEST_WEBHOOK_SECRET, vapiHmacHeaders } from '../test/support/sign-webhook.ts';
import { spawnApi } from '../test/support/spawned-api.ts';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = 3;
const API_KEY = 'bench-api-key-0123456789abcdef';
const CALL_ID = 'bench-read-call-1';
const API_SELECT = process.env.BENCH_API_SELECT ?? CALL_ROW_COLUMNS;

const apiDir = path.dirname(fileURLToPath(new URL('.', import.meta.url)));
const stack = await startLocalSupabase();
const port = await getPort();
// BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the API process.
const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const api = await spawnApi(process.execPath, [...nodeArgs, 'dist/server.js'], {
  cwd: apiDir,
  port,
  env: {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    SUPABASE_URL: stack.url,
    SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
    API_KEYS: API_KEY,
    VAPI_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    READ_RATE_LIMIT_PER_MINUTE: '100000000',
    RETENTION_WORKER_ENABLED: 'false',
  },
});
try {
  const fixture = readFileSync(path.join(apiDir, 'test/fixtures/vapi/end-of-call-report.json'), 'utf8');
  const body = fixture.replaceAll('CALL_ID', CALL_ID);
  const stored = await fetch(`${api.url}/api/v1/vapi/webhook`, {
    method: 'POST',
    headers: vapiHmacHeaders(body),
    body,
  });
  if (!stored.ok) throw new Error(`webhook: ${stored.status} ${await stored.text()}`);
  const check = await fetch(`${api.url}/api/v1/vapi/calls/${CALL_ID}`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  if (check.status !== 200) throw new Error(`read: ${check.status} ${await check.text()}`);

  const targets = {
    api: {
      url: `${api.url}/api/v1/vapi/calls/${CALL_ID}`,
      headers: { authorization: `Bearer ${API_KEY}` },
    },
    postgrest: {
      url: `${stack.url}/rest/v1/vapi_call_results?call_id=eq.${CALL_ID}`,
      headers: { apikey: stack.serviceRoleKey, authorization: `Bearer ${stack.serviceRoleKey}` },
    },
    // The API's own query (its column list), to tell the query's cost from the API's.
    'postgrest-api-query': {
      url: `${stack.url}/rest/v1/vapi_call_results?select=${encodeURIComponent(API_SELECT)}&call_id=eq.${CALL_ID}`,
      headers: {
        apikey: stack.serviceRoleKey,
        authorization: `Bearer ${stack.serviceRoleKey}`,
        accept: process.env.BENCH_API_ACCEPT ?? 'application/json',
      },
    },
  };
  const results: Record<string, Array<{ rps: number; p99: number; errors: number }>> = Object.fromEntries(
    Object.keys(targets).map((name) => [name, []]),
  );
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, target] of Object.entries(targets)) {
      const result = await autocannon({ ...target, connections: CONNECTIONS, duration: SECONDS });
      const non2xx = result.non2xx + result.errors;
      results[name]?.push({ rps: result.requests.average, p99: result.latency.p99, errors: non2xx });
      console.log(
        `round ${round + 1} ${name.padEnd(19)} ${result.requests.average.toFixed(0)} req/s  p99 ${result.latency.p99} ms  non-2xx/errors ${non2xx}`,
      );
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const apiRps = mean(results.api?.map((r) => r.rps) ?? []);
  const pgRps = mean(results.postgrest?.map((r) => r.rps) ?? []);
  console.log(
    `mean: API ${apiRps.toFixed(0)} req/s, PostgREST ${pgRps.toFixed(0)} req/s, ratio ${(apiRps / pgRps).toFixed(2)}x`,
  );
} finally {
  api.child.kill('SIGTERM');
  await api.exited;
  await stack.stop();
}
