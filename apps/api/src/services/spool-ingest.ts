import { ServiceUnavailableError } from '../lib/http-errors.ts';
import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import {
  type StoreAttempt,
  type StoreBudget,
  type StoredEvent,
  storeWithBudget,
} from './store-vapi-events.ts';

/** Where a delivery goes when the database is late: the local journal (spool-service.ts). */
export interface DeliverySpool {
  /** How long a store may take before the delivery is spooled instead (SPOOL_AFTER_MS). */
  afterMs: number;
  /** Deliveries are waiting in the spool: new ones go behind them, so each call's order holds. */
  backlogged(): boolean;
  /** Resolves once the record is synced to disk; rejects when it could not be spooled (full, disk error). */
  append(record: EventRecord): Promise<void>;
  /** Spooling was refused: the delivery then rides on its store for the rest of the budget. */
  onRefused?: (error: unknown) => void;
}

/** A store's result, or `spooled`: on local disk, synced, to be drained into the database. */
export type StoreOrSpoolResult = StoredEvent | { deliveryId: string; outcome: 'spooled'; errorCode: null };

/**
 * The store, raced against the spool's deadline. Committed within `afterMs`: as before. Later (or
 * turned down sooner with 503): the record is appended to the spool and the answer is 2xx once it is
 * synced; the store stops retrying, and an attempt already sent that still commits is harmless — the
 * drain stores the same delivery id again, a no-op. When the spool refuses (full, disk error), the store
 * keeps its whole budget and a 503 at its end is honest: an attempt past its deadline rolls back in the
 * database (ingest_vapi_event_batch in 20261201000100_ingest_and_merge.sql).
 */
export async function storeOrSpool(
  attempt: StoreAttempt,
  record: EventRecord,
  budget: StoreBudget,
  spool: DeliverySpool,
  receivedAt: Date,
): Promise<StoreOrSpoolResult> {
  const toSpool: EventRecord = { ...record, receivedAt: receivedAt.toISOString() };
  const spooled = { deliveryId: record.deliveryId, outcome: 'spooled', errorCode: null } as const;
  if (spool.backlogged()) {
    try {
      await spool.append(toSpool);
      return spooled;
    } catch (error) {
      spool.onRefused?.(error);
      return first(await storeWithBudget(attempt, [record], budget));
    }
  }

  const stopRetrying = new AbortController();
  const storing = storeWithBudget(attempt, [record], { ...budget, signal: stopRetrying.signal });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), spool.afterMs);
  });
  const settled = await Promise.race([
    storing.then(
      (results) => ({ results }),
      (error: unknown) => ({ error }),
    ),
    late,
  ]);
  clearTimeout(timer);
  if (settled !== 'late' && 'results' in settled) return first(settled.results);
  // Only what waiting could cure is spooled; anything else is a bug to surface.
  if (settled !== 'late' && !isUnavailable(settled.error)) throw settled.error;

  try {
    await spool.append(toSpool);
  } catch (error) {
    spool.onRefused?.(error);
    return first(await storing);
  }
  stopRetrying.abort(new Error('spooled'));
  storing.catch(() => undefined);
  return spooled;
}

function first(results: StoredEvent[]): StoredEvent {
  const [stored] = results;
  if (!stored) throw new Error('ingest_vapi_events answered no result for the delivery');
  return stored;
}

function isUnavailable(error: unknown): boolean {
  return error instanceof ServiceUnavailableError;
}
