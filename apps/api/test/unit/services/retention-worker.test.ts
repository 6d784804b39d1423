import { describe, expect, it } from 'vitest';
import type { PurgeResult } from '../../../src/services/retention-service.ts';
import { RetentionWorker } from '../../../src/services/retention-worker.ts';

const result = (payloadsCleared: number, locked = true): PurgeResult => ({
  locked,
  payloadsCleared,
  eventsDeleted: 0,
  callsDeleted: 0,
});

function workerAnswering(results: PurgeResult[], maxBatchesPerTick = 20) {
  const calls: PurgeResult[] = [];
  const worker = new RetentionWorker(async () => results[calls.length] ?? result(0), {
    intervalMs: 60_000,
    maxBatchesPerTick,
    pauseFactor: 0,
    isFull: (r) => r.payloadsCleared >= 5,
    onPurged: (r) => calls.push(r),
    onError: (error) => {
      throw error;
    },
  });
  return { worker, calls };
}

describe('RetentionWorker', () => {
  it('purges batch after batch while they come back full, then waits for the next interval', async () => {
    const { worker, calls } = workerAnswering([result(5), result(5), result(2), result(5)]);
    await worker.tick();
    expect(calls.map((r) => r.payloadsCleared)).toEqual([5, 5, 2]);
  });

  it('stops when another instance holds the lock, and after maxBatchesPerTick batches', async () => {
    const locked = workerAnswering([result(0, false), result(5)]);
    await locked.worker.tick();
    expect(locked.calls).toHaveLength(1);
    const capped = workerAnswering([result(5), result(5), result(5)], 2);
    await capped.worker.tick();
    expect(capped.calls).toHaveLength(2);
  });

  it('waits pauseFactor times as long as a full batch took before the next, and close ends the wait', async () => {
    const batchMs = 40;
    const startedAt: number[] = [];
    const worker = new RetentionWorker(
      async () => {
        startedAt.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, batchMs));
        return result(5);
      },
      {
        intervalMs: 60_000,
        maxBatchesPerTick: 3,
        pauseFactor: 2,
        isFull: (r) => r.payloadsCleared >= 5,
        onPurged: () => undefined,
        onError: (error) => {
          throw error;
        },
      },
    );
    await worker.tick();
    expect(startedAt).toHaveLength(3);
    const gaps = startedAt.slice(1).map((at, i) => at - (startedAt[i] as number));
    // Each gap is the batch itself plus twice its duration.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(batchMs * 3 - 5);

    const closing = new RetentionWorker(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return result(5);
      },
      {
        intervalMs: 60_000,
        maxBatchesPerTick: 5,
        pauseFactor: 1_000_000,
        isFull: () => true,
        onPurged: () => undefined,
        onError: () => undefined,
      },
    );
    // A pause of over an hour: only close() ends it within the test's time.
    const tick = closing.tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await closing.close();
    await expect(tick).resolves.toBeUndefined();
  });
});
