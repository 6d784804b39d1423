import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { useIsolatedStack } from '../../support/isolated-stack.ts';
import { freezeStack } from '../../support/stack-freeze.ts';
import { getCall, postWebhook, TEST_API_KEY, type TestApp } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const spoolDir = await mkdtemp(path.join(tmpdir(), 'callbridge-spool-readers-'));
afterAll(() => rm(spoolDir, { recursive: true, force: true }));
const isolated = useIsolatedStack({
  SPOOL_DIR: spoolDir,
  SPOOL_AFTER_MS: '500',
  // Only a webhook on this instance can wake a waiter (the periodic check is out of reach).
  LONG_POLL_CHECK_INTERVAL_MS: '60000',
});

const waitFor = (app: TestApp, callId: string, seconds: number) =>
  app.inject({
    method: 'GET',
    url: `/api/v1/vapi/calls/${callId}?wait=${seconds}`,
    headers: { authorization: `Bearer ${TEST_API_KEY}` },
  });

async function untilDrained(app: TestApp) {
  for (let attempt = 0; attempt < 120 && (app.spool?.status().depth ?? 0) > 0; attempt++) await sleep(250);
  expect(app.spool?.status().depth).toBe(0);
}

describe('readers while the database is away and deliveries are spooled', () => {
  it('a parked long poll and a plain read are answered from the spooled report; a call with only spooled updates is pending-in-spool', async () => {
    const app = isolated.app();
    const reported = uniqueCallId('spool-read');
    const updated = uniqueCallId('spool-pending');
    const parked = waitFor(app, reported, 30);
    await sleep(300);

    const frozen = freezeStack(isolated.stack());
    let fromSpool: Awaited<ReturnType<typeof getCall>>;
    let pending: Awaited<ReturnType<typeof getCall>>;
    let longPoll: Awaited<ReturnType<typeof waitFor>>;
    let longPollMs: number;
    try {
      const startedAt = Date.now();
      expect((await postWebhook(app, vapiFixture('end-of-call-report', reported))).statusCode).toBe(200);
      longPoll = await parked;
      longPollMs = Date.now() - startedAt;
      fromSpool = await getCall(app, reported);
      expect((await postWebhook(app, vapiFixture('status-update-in-progress', updated))).statusCode).toBe(
        200,
      );
      pending = await getCall(app, updated);
    } finally {
      frozen.thaw();
    }

    // Woken by the spooled report, well before its 30 s wait ran out.
    expect(longPoll.statusCode).toBe(200);
    expect(longPollMs).toBeLessThan(5000);
    expect(fromSpool.statusCode).toBe(200);
    expect(fromSpool.json()).toMatchObject({
      success: true,
      data: { callId: reported, final: true, finalReason: 'end-of-call-report' },
      kestraPush: null,
    });
    expect(pending.statusCode).toBe(404);
    expect(pending.json()).toMatchObject({ known: true, pendingInSpool: true });

    await untilDrained(app);
    const stored = await getCall(app, reported);
    expect(stored.statusCode).toBe(200);
    // What the spool answered is what the database answers once the report is stored.
    const { createdAt: _a, updatedAt: _b, ...spooledData } = fromSpool.json().data;
    const { createdAt: _c, updatedAt: _d, ...storedData } = stored.json().data;
    expect(spooledData).toEqual(storedData);
    expect(longPoll.json().data).toEqual(fromSpool.json().data);

    const afterDrain = await getCall(app, updated);
    expect(afterDrain.statusCode).toBe(404);
    expect(afterDrain.json()).toMatchObject({
      known: true,
      callStatus: 'in-progress',
      pendingInSpool: false,
    });
  }, 60_000);
});
