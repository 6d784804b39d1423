import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type LocalSupabase, startLocalSupabase } from '@callbridge/supabase-local';
import getPort from 'get-port';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { parsePrometheusText, sampleValue } from './prometheus-text.ts';
import { type SpawnedApi, spawnApi } from './spawned-api.ts';
import { testEnv } from './test-app.ts';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ReadyBody {
  database?: string;
  spool?: { depth: number; bytes: number; oldestAgeSeconds: number; accepting: boolean };
}

/**
 * A local stack of the calling file's own (its tests freeze it) and production-entry API processes
 * that spool into temp directories; everything is stopped and removed after the file.
 */
export function useSpoolStack() {
  let stack: LocalSupabase | undefined;
  const cleanups: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    stack = await startLocalSupabase();
    cleanups.push(() => (stack as LocalSupabase).stop());
  }, 60_000);
  afterAll(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  const current = () => {
    if (!stack) throw new Error('the stack is only available inside tests');
    return stack;
  };

  return {
    stack: current,
    async spoolDir(): Promise<string> {
      const dir = await mkdtemp(path.join(tmpdir(), 'callbridge-spool-test-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    /** The production entry on its own port, wired to the stack, spooling into `dir`. */
    async startApi(dir: string, env: Record<string, string> = {}): Promise<SpawnedApi> {
      const api = await spawnApi(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: apiDir,
        port: await getPort(),
        env: {
          ...(testEnv() as Record<string, string>),
          LOG_LEVEL: 'warn',
          SUPABASE_URL: current().url,
          SUPABASE_SERVICE_ROLE_KEY: current().serviceRoleKey,
          SUPABASE_TIMEOUT_MS: '2000',
          SPOOL_DIR: dir,
          SPOOL_AFTER_MS: '1000',
          SHUTDOWN_DRAIN_DELAY_MS: '0',
          ...env,
        },
      });
      cleanups.push(async () => {
        if (api.child.exitCode === null) api.child.kill('SIGKILL');
      });
      return api;
    },
    /** Straight from Postgres, bypassing the code under test. */
    async query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
      const db = new pg.Client({ connectionString: current().dbUrl });
      await db.connect();
      try {
        return (await db.query<Row>(sql, params)).rows;
      } finally {
        await db.end();
      }
    },
  };
}

export async function readiness(api: SpawnedApi): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${api.url}/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

export async function untilDrained(api: SpawnedApi, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { body } = await readiness(api);
    if (body.spool?.depth === 0) return;
    await sleep(250);
  }
  throw new Error(`the spool did not drain in ${timeoutMs} ms:\n${api.output()}`);
}

/** One sample of the API's /metrics (0 when absent). */
export async function metric(api: SpawnedApi, name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  return sampleValue(parsePrometheusText(text).samples, name, labels);
}
