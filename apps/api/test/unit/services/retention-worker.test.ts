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
});
