import type { SupabaseClient } from '@supabase/supabase-js';
import {
  purgedFullBatch,
  purgeRetention,
  type RetentionSettings,
} from '../../src/services/retention-service.ts';
import { RetentionWorker } from '../../src/services/retention-worker.ts';

export interface PurgeTotals {
  batches: number;
  payloadsCleared: number;
  eventsDeleted: number;
  callsDeleted: number;
  /** Calls that found another purge holding the lock and did nothing. */
  lockedOut: number;
}

export interface PurgeLoop {
  /** Lets the batch in flight finish, then returns what the loop purged. */
  stop(): Promise<PurgeTotals>;
}

/**
 * The API's own retention worker draining a backlog: the same RPC, batch size and pacing
 * (`pauseFactor`, RETENTION_PAUSE_FACTOR's default unless given), with no cap on batches per tick, so
 * it purges for the whole round as it would through a large backlog.
 */
export function startPurgeLoop(
  supabase: SupabaseClient,
  settings: RetentionSettings,
  pauseFactor: number,
): PurgeLoop {
  const totals: PurgeTotals = {
    batches: 0,
    payloadsCleared: 0,
    eventsDeleted: 0,
    callsDeleted: 0,
    lockedOut: 0,
  };
  let failure: unknown;
  const worker = new RetentionWorker(() => purgeRetention(supabase, settings), {
    intervalMs: 50,
    maxBatchesPerTick: Number.MAX_SAFE_INTEGER,
    pauseFactor,
    isFull: (result) => purgedFullBatch(result, settings.batch),
    onPurged: (result) => {
      totals.batches++;
      if (!result.locked) totals.lockedOut++;
      totals.payloadsCleared += result.payloadsCleared;
      totals.eventsDeleted += result.eventsDeleted;
      totals.callsDeleted += result.callsDeleted;
    },
    onError: (error) => {
      failure ??= error;
    },
  });
  worker.start();
  return {
    async stop() {
      await worker.close();
      if (failure) throw failure;
      return totals;
    },
  };
}
