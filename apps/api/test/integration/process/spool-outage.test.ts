import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { SpawnedApi } from '../../support/spawned-api.ts';
import { readiness, untilDrained, useSpoolStack } from '../../support/spool-stack.ts';
import { freezeStack } from '../../support/stack-freeze.ts';
import { type SentDelivery, steadyCallLoad } from '../../support/webhook-load.ts';

const spooling = useSpoolStack();

interface StoredEvent extends Record<string, unknown> {
  call_id: string;
  event_type: string;
  received_at: Date;
  id: string;
}

/** What Postgres holds for the calls, straight from the tables. */
async function storedFor(callIds: string[]) {
  const events = await spooling.query<StoredEvent>(
    'select call_id, event_type, received_at, id from vapi_webhook_events where call_id = any($1) order by received_at, id',
    [callIds],
  );
  const finals = await spooling.query<{ call_id: string }>(
    'select call_id from vapi_call_results where call_id = any($1) and report_received_at is not null',
    [callIds],
  );
  return { events, finals: new Set(finals.map((row) => row.call_id)) };
}

/**
 * Every acknowledged delivery is in Postgres exactly once, each call's events in the order they were
 * received (received_at, and the event ids the drain gave them), and a call whose report was
 * acknowledged is final. Unacknowledged deliveries (a connection cut by SIGKILL) may be there, once.
 */
async function expectEveryAcknowledgedStored(sent: SentDelivery[]) {
  const callIds = [...new Set(sent.map((delivery) => delivery.callId))];
  const { events, finals } = await storedFor(callIds);
  for (const callId of callIds) {
    const acked = sent.filter((delivery) => delivery.callId === callId && delivery.status === 200);
    const stored = events.filter((event) => event.call_id === callId);
    const types = stored.map((event) => event.event_type);
    // Exactly once: never two events of one type for a call (each call sends each type once).
    expect(new Set(types).size, callId).toBe(types.length);
    for (const delivery of acked) expect(types, callId).toContain(delivery.type);
    // Receive order: the status update, answered before its report was sent, comes first.
    expect(types, callId).toEqual(
      ['status-update', 'end-of-call-report'].filter((type) => types.includes(type)),
    );
    const ids = stored.map((event) => BigInt(event.id));
    expect(
      ids.every((id, index) => index === 0 || id > (ids[index - 1] as bigint)),
      callId,
    ).toBe(true);
    if (acked.some((delivery) => delivery.type === 'end-of-call-report')) {
      expect(finals.has(callId), callId).toBe(true);
    }
  }
  return events;
}

describe('Supabase frozen (PostgREST and every Postgres process SIGSTOPped) with a spool', () => {
  it('for 60 s under steady load: every delivery 2xx within 20 s, all in Postgres once after, in order', async () => {
    const api = await spooling.startApi(await spooling.spoolDir());
    const load = steadyCallLoad(() => api.url, { everyMs: 400, label: 'spool-60s' });
    await sleep(2000);
    const frozen = freezeStack(spooling.stack());
    let duringOutage: Awaited<ReturnType<typeof readiness>> | undefined;
    let thawedAt = 0;
    let ackedBeforeThaw = 0;
    try {
      await sleep(30_000);
      duringOutage = await readiness(api);
      await sleep(30_000);
    } finally {
      ackedBeforeThaw = load.sent.filter((delivery) => delivery.status === 200).length;
      thawedAt = Date.now();
      frozen.thaw();
    }
    await sleep(3000);
    const sent = await load.stop();
    await untilDrained(api, 60_000);

    // Load balancers keep sending: ready, the database away, the spool holding the deliveries.
    expect(duringOutage?.status).toBe(200);
    expect(duringOutage?.body.database).toBe('unreachable');
    expect(duringOutage?.body.spool?.depth).toBeGreaterThan(20);
    expect(duringOutage?.body.spool?.oldestAgeSeconds).toBeGreaterThan(20);

    expect(sent.length).toBeGreaterThan(250);
    const slow = sent.filter((delivery) => delivery.status !== 200 || delivery.ms >= 20_000);
    expect(slow, api.output()).toEqual([]);
    const events = await expectEveryAcknowledgedStored(sent);
    expect(events.length).toBe(sent.length);
    // Stored with the time they were received, not the time they drained.
    expect(events.filter((event) => event.received_at.getTime() < thawedAt).length).toBeGreaterThanOrEqual(
      ackedBeforeThaw,
    );

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  }, 180_000);

  it('with the API SIGKILLed mid-outage and restarted: nothing acknowledged is lost', async () => {
    const dir = await spooling.spoolDir();
    let api = await spooling.startApi(dir);
    const load = steadyCallLoad(() => api.url, { everyMs: 300, label: 'spool-kill' });
    await sleep(1000);
    const frozen = freezeStack(spooling.stack());
    let killed: SpawnedApi | undefined;
    try {
      await sleep(5000);
      killed = api;
      killed.child.kill('SIGKILL');
      await killed.exited;
      // Back while the database is still away: it reads the spool its predecessor left and keeps spooling.
      api = await spooling.startApi(dir);
      expect((await readiness(api)).body.spool?.depth).toBeGreaterThan(5);
      await sleep(5000);
    } finally {
      frozen.thaw();
    }
    await sleep(2000);
    const sent = await load.stop();
    await untilDrained(api, 60_000);

    const acked = sent.filter((delivery) => delivery.status === 200);
    expect(acked.length).toBeGreaterThan(40);
    await expectEveryAcknowledgedStored(sent);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  }, 120_000);
});
