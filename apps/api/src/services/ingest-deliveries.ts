import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import { type StoreAttempt, type StoredEvent, StoreFailure } from './store-vapi-events.ts';
import { databaseFailure, isTransientFailure } from './supabase-failure.ts';

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

export interface StorePolicy {
  /** Overall time to get the events stored, retries included; under VAPI's own request timeout. */
  budgetMs: number;
  /** One attempt's deadline (SUPABASE_TIMEOUT_MS), cut to what is left of the budget. */
  attemptTimeoutMs: number;
  /** Live deliveries, with SPOOL_DIR: a store not committed within `spool.afterMs` is spooled instead. */
  spool?: DeliverySpool;
  /** When the deliveries were received: what a spooled record carries into its event's received_at. */
  receivedAt?: Date;
}

/**
 * What one store came to, decided here and nowhere else:
 * - `stored`: committed as given; each event is logged as ingest_vapi_deliveries answered (`stored[i]`).
 * - `failed`: PostgREST refused the events themselves (something sanitizing missed), so they were
 *   committed without payload and fields, logged `failed`: the fact of the delivery is kept.
 * - `spooled`: synced to the local spool, stored once the database answers again (spool-drain.ts).
 * - `timed-out`: the database did not take them within the budget; nothing is committed.
 * - `refused`: PostgREST refused even the events without content: a bug, nothing is committed.
 * Only the first three are kept: a 2xx may be sent for them (see storedOrThrow).
 */
export type StoreOutcome =
  | { outcome: 'stored'; stored: StoredEvent[] }
  | { outcome: 'failed'; stored: StoredEvent[]; cause: string }
  | { outcome: 'spooled'; stored: [] }
  | { outcome: 'timed-out' | 'refused'; stored: []; cause: string };

export type Ingested = StoreOutcome & {
  /** Attempts made again after a failure waiting could cure. */
  retries: number;
  /** From the call to the outcome, retries and spooling included. */
  durationMs: number;
};

const MIN_DELAY_MS = 100;
const MAX_DELAY_MS = 2000;

/**
 * The one way deliveries are stored, live, drained from the spool or replayed. Each attempt gets what
 * is left of the budget (at most attemptTimeoutMs) and an answer later than that counts as a timeout,
 * whatever it says: the database rolls such a batch back (p_not_after), and a retry of the same
 * delivery ids is a no-op. Failures waiting can cure are retried with jittered backoff until the budget
 * is spent; a refusal of bodies sent as received is sent again as parsed, and a refusal after that is
 * stored once more without content. Anything else thrown by `attempt` is a bug
 * and is thrown on, not reported as an outcome.
 */
export async function ingestDeliveries(
  attempt: StoreAttempt,
  records: EventRecord[],
  policy: StorePolicy,
): Promise<Ingested> {
  const startedAt = performance.now();
  const run = { retries: 0 };
  const measured = (outcome: StoreOutcome): Ingested => ({
    ...outcome,
    retries: run.retries,
    durationMs: performance.now() - startedAt,
  });
  const store = (stop?: AbortSignal) => storeWithinBudget(attempt, records, policy, startedAt, run, stop);
  const { spool } = policy;
  if (!spool) return measured(await mustFinish(store()));

  const receivedAt = (policy.receivedAt ?? new Date()).toISOString();
  const toSpool = records.map((record) => ({ ...record, receivedAt }));
  if (spool.backlogged()) {
    return measured((await appended(spool, toSpool)) ? SPOOLED : await mustFinish(store()));
  }

  // Committed within afterMs: as without a spool. Later, or timed out sooner: spooled, and the store
  // stops retrying; an attempt already sent that still commits is harmless (the drain's store is then a
  // no-op). When the spool refuses, the store keeps its whole budget and its outcome stands.
  const stop = new AbortController();
  const storing = store(stop.signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), spool.afterMs);
  });
  const first = await Promise.race([storing, late]).finally(() => clearTimeout(timer));
  if (first !== 'late' && first?.outcome !== 'timed-out') return measured(await mustFinish(storing));
  if (!(await appended(spool, toSpool))) return measured(await mustFinish(storing));
  stop.abort();
  storing.catch(() => undefined);
  return measured(SPOOLED);
}

/** The events a store committed; throws what not storing means to the caller (503, or 500 for a bug). */
export function storedOrThrow(ingested: StoreOutcome): StoredEvent[] {
  if (ingested.outcome === 'timed-out' || ingested.outcome === 'refused') {
    databaseFailure(ingested.outcome === 'timed-out', new Error(`storing deliveries: ${ingested.cause}`));
  }
  return ingested.stored;
}

const SPOOLED: StoreOutcome = { outcome: 'spooled', stored: [] };

/** undefined: stopped because the deliveries were spooled meanwhile. */
type Attempted = Exclude<StoreOutcome, { outcome: 'spooled' }> | undefined;

async function storeWithinBudget(
  attempt: StoreAttempt,
  records: EventRecord[],
  policy: StorePolicy,
  startedAt: number,
  run: { retries: number },
  stop: AbortSignal | undefined,
): Promise<Attempted> {
  const remainingMs = () => policy.budgetMs - (performance.now() - startedAt);
  let events = records;
  let refusal: string | undefined;
  let cause = 'no time was left to store';
  let retrying = false;
  let backoffMs = MIN_DELAY_MS;
  for (;;) {
    const leftMs = remainingMs();
    if (leftMs <= 0) return { outcome: 'timed-out', stored: [], cause };
    if (retrying) run.retries += 1;
    const answer = await attemptBefore(attempt, events, Math.min(policy.attemptTimeoutMs, leftMs));
    if (stop?.aborted) return undefined;
    if (!(answer instanceof Error)) {
      const stored = inOrderOf(records, answer);
      return refusal === undefined
        ? { outcome: 'stored', stored }
        : { outcome: 'failed', stored, cause: refusal };
    }
    if (!(answer instanceof StoreFailure)) throw answer;
    cause = answer.message;
    if (!isTransientFailure(answer.response)) {
      if (events.some((event) => event.payloadJson)) {
        // Postgres refused a body as received (a number beyond numeric's range, which JSON.parse
        // silently turned into 0 or Infinity): send the payload as parsed and sanitized instead.
        events = events.map(withoutReceivedJson);
        continue;
      }
      if (refusal !== undefined) return { outcome: 'refused', stored: [], cause };
      // At once, and not a retry: the events the database could not take are kept without content.
      refusal = cause;
      const errorCode = `request-rejected:${answer.response.error?.code || answer.response.status}`;
      events = records.map((record) => withoutContent(record, errorCode));
      retrying = false;
      continue;
    }
    retrying = true;
    const waitMs = Math.min(MAX_DELAY_MS, backoffMs * (1 + Math.random()), remainingMs());
    backoffMs = Math.min(MAX_DELAY_MS, backoffMs * 2);
    if (!(await pause(waitMs, stop))) return undefined;
  }
}

/** Only the spooling path stops a store, and it no longer waits for it then. */
async function mustFinish(storing: Promise<Attempted>): Promise<StoreOutcome> {
  const settled = await storing;
  if (!settled) throw new Error('a store that was not stopped reported stopping');
  return settled;
}

/** One attempt's answer, or why it failed; an answer after `timeoutMs` is a timeout (status 0, as supabase-js reports one). */
async function attemptBefore(
  attempt: StoreAttempt,
  events: EventRecord[],
  timeoutMs: number,
): Promise<StoredEvent[] | Error> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Error>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          new StoreFailure({ error: { message: `no answer within ${Math.ceil(timeoutMs)} ms` }, status: 0 }),
        ),
      timeoutMs,
    );
  });
  const answer = (async () => attempt(events, timeoutMs))().then(
    (stored) => stored,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/** The database's answer for each record, in the records' order. */
function inOrderOf(records: EventRecord[], answer: StoredEvent[]): StoredEvent[] {
  const byDelivery = new Map(answer.map((stored) => [stored.deliveryId, stored]));
  return records.map((record) => {
    const stored = byDelivery.get(record.deliveryId);
    if (!stored)
      throw new Error(`ingest_vapi_deliveries answered no result for delivery ${record.deliveryId}`);
    return stored;
  });
}

async function appended(spool: DeliverySpool, records: EventRecord[]): Promise<boolean> {
  try {
    for (const record of records) await spool.append(record);
    return true;
  } catch (error) {
    spool.onRefused?.(error);
    return false;
  }
}

/** Resolves true after `ms`, false as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function withoutReceivedJson(event: EventRecord): EventRecord {
  const { payloadJson: _received, ...rest } = event;
  return rest;
}

function withoutContent(event: EventRecord, errorCode: string): EventRecord {
  return {
    ...withoutReceivedJson(event),
    outcome: 'failed',
    errorCode,
    payload: null,
    sanitized: null,
    isReport: false,
    fields: {},
    fieldsInPayload: {},
  };
}
