import { existsSync } from 'node:fs';
import { type LocalSupabase, startLocalSupabase } from '@callbridge/supabase-local';
import getPort from 'get-port';
import pg from 'pg';
import { TEST_WEBHOOK_SECRET } from '../../test/support/sign-webhook.ts';
import { type SpawnedApi, spawnApi } from '../../test/support/spawned-api.ts';
import type { CpuProcess } from './process-cpu.ts';

const apiDir = new URL('../..', import.meta.url).pathname;
const serverEntry = new URL('../../dist/server.js', import.meta.url).pathname;

export const BENCH_API_KEY = 'cb_bench_key_5e4d3c2b1a09f8e7';
/** NODE_ENV=production needs /metrics behind a token (or on METRICS_PORT). */
export const BENCH_METRICS_TOKEN = 'cb_bench_metrics_7a6b5c4d3e2f1';

export interface BenchStack {
  stack: LocalSupabase;
  apiUrl: string;
  apiKey: string;
  /** A direct connection to the stack's Postgres, for seeding and counting rows. */
  db: pg.Client;
  /** The processes whose CPU a round reports: the API, PostgREST, Postgres with its backends. */
  cpuProcesses(): CpuProcess[];
  stop(): Promise<void>;
}

/**
 * The production build (`node dist/server.js`) on `stack`, in its own process, so the load generator's
 * CPU is not the API's; rate limits lifted (they would measure the limiter), no retention worker.
 * BENCH_API_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles it.
 */
export async function spawnBenchApi(
  stack: LocalSupabase,
  env: Record<string, string> = {},
): Promise<SpawnedApi> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: run \`pnpm build\` first`);
  const nodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return spawnApi(process.execPath, [...nodeArgs, serverEntry], {
    cwd: apiDir,
    port: await getPort(),
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SUPABASE_URL: stack.url,
      SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
      API_KEYS: BENCH_API_KEY,
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      VAPI_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000000',
      READ_RATE_LIMIT_PER_MINUTE: '100000000',
      RETENTION_WORKER_ENABLED: 'false',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...env,
    },
  });
}

/** A throwaway local stack with spawnBenchApi on it and a direct connection for seeding and counting. */
export async function startBenchStack(env: Record<string, string> = {}): Promise<BenchStack> {
  if (!existsSync(serverEntry)) throw new Error(`${serverEntry} is missing: run \`pnpm build\` first`);
  const stack = await startLocalSupabase();
  try {
    const api = await spawnBenchApi(stack, env);
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    return {
      stack,
      apiUrl: api.url,
      apiKey: BENCH_API_KEY,
      db,
      cpuProcesses: () => [
        { name: 'API', pid: api.child.pid },
        { name: 'PostgREST', pid: stack.pids().postgrest },
        { name: 'Postgres', pid: stack.pids().postgres, children: true },
      ],
      async stop() {
        await db.end();
        api.child.kill('SIGTERM');
        await api.exited;
        await stack.stop();
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/** How many of these call ids have a row: every 2xx delivery must have left one. */
export async function countCallRows(db: pg.Client, callIds: string[]): Promise<number> {
  const result = await db.query<{ n: number }>(
    'select count(*)::integer as n from vapi_call_results where call_id = any($1)',
    [callIds],
  );
  return result.rows[0]?.n ?? 0;
}
