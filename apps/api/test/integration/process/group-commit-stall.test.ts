import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useIsolatedStack } from '../../support/isolated-stack.ts';
import { postWebhook } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const BUDGET_MS = 2500;
const BURST = 12;
const isolated = useIsolatedStack({
  WEBHOOK_STORE_BUDGET_MS: String(BUDGET_MS),
  WEBHOOK_BATCH_MAX_WAIT_MS: '20',
  WEBHOOK_BATCH_MAX_SIZE: '4',
});

/** Sends a burst of reports; each answer comes with how long it took and whether its row was readable then. */
async function burst(label: string) {
  const db = new pg.Pool({ connectionString: isolated.stack().dbUrl, max: 4 });
  try {
    return await Promise.all(
      Array.from({ length: BURST }, async () => {
        const callId = uniqueCallId(label);
        const startedAt = Date.now();
        const { statusCode } = await postWebhook(isolated.app(), vapiFixture('end-of-call-report', callId));
        const ms = Date.now() - startedAt;
        const { rowCount } = await db.query(
          'select 1 from vapi_call_results where call_id = $1 and report_received_at is not null',
          [callId],
        );
        return { statusCode, ms, readable: rowCount === 1 };
      }),
    );
  } finally {
    await db.end();
  }
}

describe('group commit while PostgREST stalls (SIGSTOP)', () => {
  it('answers batched deliveries 2xx only once stored, or 503 when their own budget runs out', async () => {
    const postgrestPid = isolated.stack().pids().postgrest as number;

    // Stalled for longer than the budget: every delivery gives up in about its budget.
    process.kill(postgrestPid, 'SIGSTOP');
    let givenUp: Awaited<ReturnType<typeof burst>>;
    try {
      givenUp = await burst('stall-long');
    } finally {
      process.kill(postgrestPid, 'SIGCONT');
    }
    for (const answer of givenUp) {
      expect(answer.statusCode).toBe(503);
      expect(answer.ms).toBeLessThan(BUDGET_MS + 1500);
    }

    // Stalled for 1 s: every batch waits it out or retries, and each answer follows its commit.
    process.kill(postgrestPid, 'SIGSTOP');
    const answers = burst('stall-short');
    await sleep(1000);
    process.kill(postgrestPid, 'SIGCONT');
    for (const answer of await answers) {
      expect(answer).toMatchObject({ statusCode: 200, readable: true });
    }
  }, 60_000);
});
