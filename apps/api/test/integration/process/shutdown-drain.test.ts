import { rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startLocalSupabase } from '@callbridge/supabase-local';
import getPort from 'get-port';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDb } from '../../support/database.ts';
import {
  childPidsNamed,
  devDataDir,
  type SpawnedApi,
  spawnApi,
  spawnDevServer,
  startWebhook,
} from '../../support/spawned-api.ts';
import { testEnv } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const apiDir = fileURLToPath(new URL('../../..', import.meta.url));
const BURST = 16;

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/**
 * Puts BURST full end-of-call reports in flight, sends SIGTERM (to the process, or to its whole
 * process group as Ctrl-C in a terminal does), then lets them finish: every one must be stored.
 */
async function burstThenTerminate(api: SpawnedApi, options: { drainDelayMs: number; group?: boolean }) {
  const callIds = Array.from({ length: BURST }, () => uniqueCallId('drain'));
  const inFlight = await Promise.all(
    callIds.map((callId) => startWebhook(api.url, vapiFixture('end-of-call-report-full', callId))),
  );
  const signalledAt = Date.now();
  if (options.group) process.kill(-(api.child.pid as number), 'SIGTERM');
  else api.child.kill('SIGTERM');
  await sleep(100);
  if (options.drainDelayMs > 0) {
    // Still serving while load balancers notice, but no longer ready.
    expect((await fetch(`${api.url}/ready`)).status).toBe(503);
  }
  const answers = await Promise.all(inFlight.map((webhook) => webhook.finish()));
  const code = await api.exited;
  return { callIds, answers, code, elapsedMs: Date.now() - signalledAt };
}

describe('SIGTERM during a burst of in-flight webhooks', () => {
  it('the production entry answers every one 2xx after storing it, and exits 0 well inside the timeout', async () => {
    const port = await getPort();
    const api = await spawnApi(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: apiDir,
      port,
      env: {
        ...(testEnv() as Record<string, string>),
        SHUTDOWN_DRAIN_DELAY_MS: '1000',
        SHUTDOWN_TIMEOUT_MS: '30000',
      },
    });
    const { callIds, answers, code, elapsedMs } = await burstThenTerminate(api, { drainDelayMs: 1000 });

    expect(
      answers.map((answer) => answer.status),
      api.output(),
    ).toEqual(callIds.map(() => 200));
    expect(code).toBe(0);
    expect(elapsedMs).toBeLessThan(10_000);
    const stored = await queryDb<{ call_id: string }>(
      'select call_id from vapi_call_results where call_id = any($1) and report_received_at is not null',
      [callIds],
    );
    expect(stored.map((row) => row.call_id).sort()).toEqual([...callIds].sort());
  });

  for (const group of [false, true]) {
    it(`scripts/dev (SIGTERM to ${group ? 'its process group' : 'the API pid'}) answers every one 2xx, stops the local stack only after the API drained, and exits 0`, async () => {
      const dataDir = await devDataDir('dev-drain');
      tempDirs.push(path.dirname(dataDir));
      const api = await spawnDevServer(dataDir, { detached: group });
      const stackPids = [
        ...childPidsNamed(api.child.pid as number, 'postgres'),
        ...childPidsNamed(api.child.pid as number, 'postgrest'),
      ];
      expect(stackPids, api.output()).toHaveLength(2);
      const { callIds, answers, code } = await burstThenTerminate(api, { drainDelayMs: 0, group });

      expect(
        answers.map((answer) => answer.status),
        api.output(),
      ).toEqual(callIds.map(() => 200));
      expect(code, api.output()).toBe(0);
      // Stopped with the API, not left behind.
      expect(stackPids.filter(isAlive), api.output()).toEqual([]);
      // The dev stack kept its data: open it again and count.
      const stack = await startLocalSupabase({ dataDir, dbPort: await getPort() });
      try {
        const db = new pg.Client({ connectionString: stack.dbUrl });
        await db.connect();
        const { rows } = await db.query(
          'select count(*)::int as n from vapi_call_results where call_id = any($1) and report_received_at is not null',
          [callIds],
        );
        await db.end();
        expect(rows[0].n).toBe(BURST);
      } finally {
        await stack.stop();
      }
    });
  }
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
