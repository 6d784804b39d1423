import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { EventRecord } from '../lib/prepare-vapi-delivery.ts';
import type { SupabaseResponse } from './supabase-failure.ts';

/** What ingest_vapi_event_batch answers for each event it was given. */
export const storedEventSchema = z.object({
  deliveryId: z.string(),
  /** The row that records the event. */
  eventId: z.number().int().nullable(),
  /** How the event is logged: merged into its call, only logged, refused a merge, or kept without content. */
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

/**
 * How one attempt reaches the database: straight to the RPC (rpcAttempt), or through the group commit
 * (event-batcher.ts). Throws StoreFailure when the database did not take the events.
 */
export type StoreAttempt = (events: EventRecord[], timeoutMs: number) => Promise<StoredEvent[]>;

/** Each attempt is one ingest_vapi_event_batch call of its own. */
export function rpcAttempt(supabase: SupabaseClient): StoreAttempt {
  return (events, timeoutMs) => callIngestRpc(supabase, events, timeoutMs);
}
