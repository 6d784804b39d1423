import { rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useIsolatedStack } from '../../support/isolated-stack.ts';
import { childPidsNamed, devDataDir, spawnDevServer } from '../../support/spawned-api.ts';
import { getCall, postWebhook } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const isolated = useIsolatedStack();

const tempDirs: string[] = [];
afterAll(() => Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('a short outage', () => {
  it('PostgREST stalled (SIGSTOP) for 8 s under steady webhook load: every webhook answered 2xx and stored', async () => {
    const app = isolated.app();
    const postgrestPid = isolated.stack().pids().postgrest as number;
    const callIds: string[] = [];
    const answers: Array<Promise<number>> = [];
    const send = () => {
      const callId = uniqueCallId('stall');
      callIds.push(callId);
      answers.push(postWebhook(app, vapiFixture('end-of-call-report', callId)).then((r) => r.statusCode));
    };

    // 10 webhooks a second: 1 s before the stall, 8 s stalled, 1 s after.
    const load = (async () => {
      for (let tick = 0; tick < 100; tick++) {
        send();
        await sleep(100);
      }
    })();
    await sleep(1000);
    process.kill(postgrestPid, 'SIGSTOP');
    let read: { status: number; ms: number } | undefined;
    try {
      const startedAt = Date.now();
      const status = (await getCall(app, uniqueCallId('read-during-stall'))).statusCode;
      read = { status, ms: Date.now() - startedAt };
      await sleep(8000 - read.ms);
    } finally {
      process.kill(postgrestPid, 'SIGCONT');
    }
    await load;
    const statuses = await Promise.all(answers);

    expect(statuses).toEqual(callIds.map(() => 200));
    // A read gets one deadline (SUPABASE_TIMEOUT_MS, 2 s here), not one per library retry.
    expect(read?.status).toBe(503);
    expect(read?.ms).toBeLessThan(3000);
    const db = new pg.Client({ connectionString: isolated.stack().dbUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `select count(*)::int as calls,
                (select count(*)::int from vapi_webhook_events where call_id = any($1)) as events
         from vapi_call_results where call_id = any($1) and report_received_at is not null`,
        [callIds],
      );
      // One event per delivery, even for stores retried after a timeout whose first attempt landed.
      expect(rows[0]).toEqual({ calls: callIds.length, events: callIds.length });
    } finally {
      await db.end();
    }
  }, 60_000);
});

describe('the dev stack under scripts/dev', () => {
  it('brings a killed PostgREST back by itself; /ready answers within 2 s throughout and returns to 200', async () => {
    const dataDir = await devDataDir('dev-heal');
    tempDirs.push(path.dirname(dataDir));
    const api = await spawnDevServer(dataDir);
    try {
      const [postgrest] = childPidsNamed(api.child.pid as number, 'postgrest');
      expect(postgrest, api.output()).toBeDefined();
      process.kill(postgrest as number, 'SIGKILL');

      const slowest = { ms: 0 };
      let back = false;
      for (let attempt = 0; attempt < 100 && !back; attempt++) {
        const startedAt = Date.now();
        const status = (await fetch(`${api.url}/ready`)).status;
        slowest.ms = Math.max(slowest.ms, Date.now() - startedAt);
        back = status === 200 && childPidsNamed(api.child.pid as number, 'postgrest')[0] !== postgrest;
        if (!back) await sleep(100);
      }
      expect(back, api.output()).toBe(true);
      expect(slowest.ms).toBeLessThan(2000);
    } finally {
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
  }, 120_000);
});
