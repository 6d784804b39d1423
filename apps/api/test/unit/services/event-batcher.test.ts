import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/lib/prepare-vapi-delivery.ts';
import { EventBatcher } from '../../../src/services/event-batcher.ts';
import {
  type IngestEndpoint,
  type StoredEvent,
  StoreFailure,
} from '../../../src/services/store-vapi-events.ts';

// The database side (one event failing inside a batch) is covered against the real stack in
// test/integration/routes/webhook-group-commit.test.ts; these are the failures PostgREST answers with.

const unusedEndpoint: IngestEndpoint = { url: new URL('http://127.0.0.1:1/unused'), headers: {} };

function event(callId: string): EventRecord {
  return { deliveryId: crypto.randomUUID(), callId, eventType: 'status-update' } as EventRecord;
}

const stored = (record: EventRecord): StoredEvent => ({
  deliveryId: record.deliveryId,
  eventId: 1,
  outcome: 'stored',
  errorCode: null,
});

/** Records each batch it is sent; answers with `answer`. */
function fakeRpc(answer: (events: EventRecord[]) => StoredEvent[]) {
  const batches: string[][] = [];
  const send = async (events: EventRecord[]) => {
    batches.push(events.map((e) => e.callId ?? ''));
    return answer(events);
  };
  return { batches, send };
}

function batcherWith(send: (events: EventRecord[]) => Promise<StoredEvent[]>, maxSize = 3) {
  const sizes: number[] = [];
  const batcher = new EventBatcher(
    unusedEndpoint,
    { maxWaitMs: 60_000, maxSize, onBatch: (size) => sizes.push(size) },
    send,
  );
  return { batcher, sizes };
}

describe('EventBatcher', () => {
  it('sends a full batch in one call, ordered by call id, and gives each caller its own result', async () => {
    const rpc = fakeRpc((events) => events.map(stored).reverse());
    const { batcher, sizes } = batcherWith(rpc.send);
    const records = [event('c'), event('a'), event('c')];

    const results = await Promise.all(records.map((record) => batcher.store(record, 1000)));

    expect(results.map((r) => r.deliveryId)).toEqual(records.map((r) => r.deliveryId));
    // Arrival order is kept within a call.
    expect(rpc.batches).toEqual([['a', 'c', 'c']]);
    expect(sizes).toEqual([3]);
  });

  it('sends what is waiting when closed, and every later event at once', async () => {
    const rpc = fakeRpc((events) => events.map(stored));
    const { batcher } = batcherWith(rpc.send);
    const waiting = batcher.store(event('a'), 1000);

    await batcher.close();
    await expect(waiting).resolves.toMatchObject({ outcome: 'stored' });
    await expect(batcher.store(event('b'), 1000)).resolves.toMatchObject({ outcome: 'stored' });
    expect(rpc.batches).toEqual([['a'], ['b']]);
  });

  it('fails every event of a batch the database could not take, so each caller retries it', async () => {
    const outage = new StoreFailure({ error: { message: 'unavailable' }, status: 503 });
    const { batcher } = batcherWith(async () => {
      throw outage;
    }, 2);

    const results = await Promise.allSettled([
      batcher.store(event('a'), 1000),
      batcher.store(event('b'), 1000),
    ]);

    expect(results).toEqual([
      { status: 'rejected', reason: outage },
      { status: 'rejected', reason: outage },
    ]);
  });

  it('sends a batch PostgREST refused one event at a time, so only the event at fault is refused', async () => {
    const refusal = new StoreFailure({ error: { message: 'bad request', code: 'PGRST100' }, status: 400 });
    const rpc = fakeRpc((events) => {
      if (events.some((e) => e.callId === 'bad')) throw refusal;
      return events.map(stored);
    });
    const { batcher, sizes } = batcherWith(rpc.send);

    const results = await Promise.allSettled([
      batcher.store(event('a'), 1000),
      batcher.store(event('bad'), 1000),
      batcher.store(event('c'), 1000),
    ]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(results[1]).toEqual({ status: 'rejected', reason: refusal });
    expect(sizes).toEqual([3, 1, 1, 1]);
  });
});
