import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { forExecution, uniqueExecutionId, usePushStack } from '../../support/push-stack.ts';
import { postWebhook } from '../../support/test-app.ts';
import { uniqueCallId, vapiFixture } from '../../support/vapi-fixtures.ts';

const push = usePushStack();

/**
 * Final calls written the way ingest_vapi_event_batch writes a first report with push on, all in one
 * transaction and by no app: no instance is nudged, so every instance's poll competes for the rows.
 */
async function finalCallsWithPushes(
  client: pg.Client,
  calls: Array<{ callId: string; executionId: string }>,
) {
  await client.query('begin');
  await client.query(`select set_config('callbridge.kestra_push', 'on', true)`);
  await client.query(
    `insert into vapi_call_results (call_id, status, ended_reason, report_received_at, metadata)
     select call_id, 'ended', 'customer-ended-call', now(), jsonb_build_object('kestraExecutionId', execution_id)
     from unnest($1::text[], $2::text[]) as t(call_id, execution_id)`,
    [calls.map((call) => call.callId), calls.map((call) => call.executionId)],
  );
  await client.query('commit');
}

const outboxRow = async (callId: string) =>
  (await push.query('select * from kestra_push_outbox where call_id = $1', [callId]))[0];

describe('push to Kestra from several instances', () => {
  it('delivers each push once when two instances share the outbox', async () => {
    const kestra = push.kestra();
    const [first, second] = await Promise.all([
      push.buildApp({ KESTRA_PUSH_POLL_INTERVAL_MS: '50' }),
      push.buildApp({ KESTRA_PUSH_POLL_INTERVAL_MS: '50' }),
    ]);
    const calls = Array.from({ length: 40 }, () => ({
      callId: uniqueCallId(),
      executionId: uniqueExecutionId(),
    }));
    for (const call of calls) kestra.createExecution(call.executionId, { paused: true });

    // Half arrive as reports, alternately on each instance; half appear in the outbox with no nudge.
    const reported = calls.slice(0, 20);
    await Promise.all(
      reported.map((call, index) =>
        postWebhook(
          index % 2 === 0 ? first : second,
          forExecution(vapiFixture('end-of-call-report', call.callId), {
            kestraExecutionId: call.executionId,
          }),
        ),
      ),
    );
    await push.withClient((client) => finalCallsWithPushes(client, calls.slice(20)));

    await Promise.all(calls.map((call) => kestra.waitForResume(call.executionId, 10_000)));
    // Wait out any duplicate still on its way before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const call of calls) {
      expect(kestra.requestsFor(call.executionId).map((request) => request.status)).toEqual([200]);
      expect(await outboxRow(call.callId)).toMatchObject({ state: 'delivered', attempts: 1 });
    }
  });

  it('never hands one row to two claims at once', async () => {
    const calls = Array.from({ length: 6 }, () => ({
      callId: uniqueCallId(),
      executionId: uniqueExecutionId(),
    }));
    await push.withClient((client) => finalCallsWithPushes(client, calls));
    const ids = new Set(calls.map((call) => call.callId));

    const claimed = await push.withClient((holding) =>
      push.withClient(async (other) => {
        await holding.query('begin');
        const held = await holding.query<{ call_id: string }>(
          'select call_id from claim_kestra_pushes(100, 60)',
        );
        // The first claim has not committed: its rows stay locked and the second skips them.
        const skipped = await other.query<{ call_id: string }>(
          'select call_id from claim_kestra_pushes(100, 60)',
        );
        await holding.query('commit');
        const afterCommit = await other.query<{ call_id: string }>(
          'select call_id from claim_kestra_pushes(100, 60)',
        );
        return { held: held.rows, skipped: skipped.rows, afterCommit: afterCommit.rows };
      }),
    );
    const mine = (rows: Array<{ call_id: string }>) =>
      rows.map((row) => row.call_id).filter((id) => ids.has(id));
    expect(mine(claimed.held).sort()).toEqual([...ids].sort());
    expect(mine(claimed.skipped)).toEqual([]);
    // Committed, the lease keeps them.
    expect(mine(claimed.afterCommit)).toEqual([]);
  });

  it('delivers after a restart a push that was in flight when the instance stopped', async () => {
    const kestra = push.kestra();
    const callId = uniqueCallId();
    const executionId = uniqueExecutionId();
    kestra.createExecution(executionId, { paused: true });

    const stopping = await push.buildApp({ KESTRA_PUSH_POLL_INTERVAL_MS: '60000' });
    const held = kestra.hold();
    await postWebhook(
      stopping,
      forExecution(vapiFixture('end-of-call-report', callId), { kestraExecutionId: executionId }),
    );
    await held.arrived;
    expect(stopping.kestraPush?.activeDeliveries).toBe(1);
    await stopping.close();
    // Kestra (the stand-in) never answered; the stopped instance released the row for the next one.
    expect(await outboxRow(callId)).toMatchObject({ state: 'pending', attempts: 1, locked_until: null });
    held.release();

    await push.buildApp({ KESTRA_PUSH_POLL_INTERVAL_MS: '60000' });
    const resume = await kestra.waitForResume(executionId, 5000);
    expect(resume.result).toMatchObject({ callId, finalReason: 'end-of-call-report' });
    await expect.poll(async () => (await outboxRow(callId))?.state).toBe('delivered');
    expect(await outboxRow(callId)).toMatchObject({ attempts: 2 });
    expect(kestra.resumesOf(executionId)).toHaveLength(1);
  });

  it('delivers a push claimed by an instance that died, once its lease runs out', async () => {
    const kestra = push.kestra();
    const call = { callId: uniqueCallId(), executionId: uniqueExecutionId() };
    kestra.createExecution(call.executionId, { paused: true });
    await push.withClient(async (client) => {
      await finalCallsWithPushes(client, [call]);
      // A dead instance's claim: a one-second lease nobody settles.
      await client.query('select claim_kestra_pushes(100, 1)');
    });

    const claimedAt = Date.now();
    await push.buildApp();
    await kestra.waitForResume(call.executionId, 5000);
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(900);
    await expect.poll(async () => (await outboxRow(call.callId))?.state).toBe('delivered');
    expect(await outboxRow(call.callId)).toMatchObject({ attempts: 2 });
  });
});
