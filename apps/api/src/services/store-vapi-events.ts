import type { SupabaseClient } from '@supabase/supabase-js';
import pRetry, { AbortError } from 'p-retry';
import { z } from 'zod';
import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import { isTransientFailure, type SupabaseResponse, supabaseFailure } from './supabase-failure.ts';

export interface StoreBudget {
  /** Overall time to get the events stored, retries included; under VAPI's own request timeout. */
  budgetMs: number;
  /** One attempt's deadline (SUPABASE_TIMEOUT_MS), cut to what is left of the budget. */
  attemptTimeoutMs: number;
  onRetry?: (failure: { attempt: number; delayMs: number; cause: string }) => void;
  /** How long the store took, retries included, whether it succeeded or not. */
  onStoreDuration?: (seconds: number) => void;
  /** Stops retrying (the delivery was spooled instead): the store then rejects with the reason. */
  signal?: AbortSignal;
}

const storedEventSchema = z.object({
  deliveryId: z.string(),
  /** The row that records the event. */
  eventId: z.number().int().nullable(),
  outcome: z.enum(['stored', 'acknowledged', 'rejected', 'failed']),
  errorCode: z.string().nullable(),
});
export type StoredEvent = z.output<typeof storedEventSchema>;

/** A store attempt that failed: PostgREST's answer says whether waiting can cure it. */
export class StoreFailure extends Error {
  constructor(readonly response: SupabaseResponse) {
    super(`${response.error?.code ?? ''} ${response.error?.message ?? ''} (HTTP ${response.status})`.trim());
  }
}

/**
 * One attempt: stores events in one ingest_vapi_event_batch call within `timeoutMs`, or throws StoreFailure.
 */
export async function callIngestRpc(
  supabase: SupabaseClient,
  events: EventRecord[],
  timeoutMs: number,
): Promise<StoredEvent[]> {
  const ms = Math.max(1, Math.floor(timeoutMs));
  const deadline = AbortSignal.timeout(ms);
  // As JSON text (see its migration): PostgREST then passes one string instead of parsing the events, and
  // supabase-js's own stringify, which a replacer keeps off V8's fast path, only has one string to escape.
  // p_not_after: a batch still running once this attempt is abandoned rolls back instead of committing
  // (ingest_vapi_event_batch, 20261201000100_ingest_and_merge.sql), so a store we gave up on never
  // succeeds behind our back.
  const response = await supabase
    .rpc('ingest_vapi_event_batch', {
      p_events: JSON.stringify(events),
      p_not_after: new Date(Date.now() + ms).toISOString(),
    })
    .abortSignal(deadline);
  if (response.error) throw new StoreFailure(response);
  return storedEventSchema.array().parse(response.data);
}

/** How one attempt reaches the database: straight to the RPC, or through a batch (event-batcher.ts). */
export type StoreAttempt = (events: EventRecord[], timeoutMs: number) => Promise<StoredEvent[]>;

/**
 * Stores events in one round trip, retrying what an outage or a timeout turned down with backoff until
 * the budget is spent (then 503). Retries are harmless: each event's delivery id makes a repeat a no-op.
 * A request PostgREST itself refuses (a 4xx: something sanitizing missed) is stored again without
 * payload and fields, as `failed`, so the fact of the delivery is kept and VAPI gets its 2xx.
 */
export async function storeVapiEvents(
  supabase: SupabaseClient,
  events: EventRecord[],
  budget: StoreBudget,
): Promise<StoredEvent[]> {
  return storeWithBudget((batch, timeoutMs) => callIngestRpc(supabase, batch, timeoutMs), events, budget);
}

/** storeVapiEvents' retries and fallback around any way of making one attempt. */
export async function storeWithBudget(
  attempt: StoreAttempt,
  events: EventRecord[],
  budget: StoreBudget,
): Promise<StoredEvent[]> {
  const startedAt = performance.now();
  const remainingMs = () => budget.budgetMs - (performance.now() - startedAt);

  const storeWithRetries = (batch: EventRecord[]) =>
    pRetry(
      async () => {
        try {
          return await attempt(batch, Math.min(budget.attemptTimeoutMs, remainingMs()));
        } catch (error) {
          throw error instanceof StoreFailure && !isTransientFailure(error.response)
            ? new AbortError(error)
            : error;
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        minTimeout: 100,
        maxTimeout: 2000,
        factor: 2,
        randomize: true,
        maxRetryTime: budget.budgetMs,
        signal: budget.signal,
        // Only what waiting can cure; anything else is a bug to surface, not to repeat.
        shouldRetry: ({ error }) => error instanceof StoreFailure,
        onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
          if (retryDelay > 0)
            budget.onRetry?.({ attempt: attemptNumber, delayMs: retryDelay, cause: error.message });
        },
      },
    );

  try {
    return await storeWithRetries(events);
  } catch (error) {
    if (!(error instanceof StoreFailure)) throw error;
    return await storeWithoutContent(error);
  } finally {
    budget.onStoreDuration?.((performance.now() - startedAt) / 1000);
  }

  async function storeWithoutContent(error: StoreFailure): Promise<StoredEvent[]> {
    if (isTransientFailure(error.response)) supabaseFailure(error.response, 'storing deliveries');
    const errorCode = `request-rejected:${error.response.error?.code || error.response.status}`;
    try {
      return await storeWithRetries(events.map((event) => withoutContent(event, errorCode)));
    } catch (fallbackError) {
      if (fallbackError instanceof StoreFailure)
        supabaseFailure(fallbackError.response, 'storing deliveries');
      throw fallbackError;
    }
  }
}

function withoutContent(event: EventRecord, errorCode: string): EventRecord {
  return {
    ...event,
    outcome: 'failed',
    errorCode,
    payload: null,
    sanitized: null,
    isReport: false,
    fields: {},
    fieldsInPayload: {},
  };
}
