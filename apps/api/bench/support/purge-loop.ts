import type { SupabaseClient } from '@supabase/supabase-js';
import { purgeRetention, type RetentionSettings } from '../../src/services/retention-service.ts';

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
 * The retention purge back to back, as the worker runs it while a backlog lasts (the same RPC and batch
 * size) but with no pause between batches: the most a purge can weigh on ingest.
 */
export function startPurgeLoop(supabase: SupabaseClient, settings: RetentionSettings): PurgeLoop {
  const totals: PurgeTotals = {
    batches: 0,
    payloadsCleared: 0,
    eventsDeleted: 0,
    callsDeleted: 0,
    lockedOut: 0,
  };
  let stopping = false;
  const running = (async () => {
    while (!stopping) {
      const result = await purgeRetention(supabase, settings);
      totals.batches++;
      if (!result.locked) totals.lockedOut++;
      totals.payloadsCleared += result.payloadsCleared;
      totals.eventsDeleted += result.eventsDeleted;
      totals.callsDeleted += result.callsDeleted;
    }
  })();
  return {
    async stop() {
      stopping = true;
      await running;
      return totals;
    },
  };
}
