import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { supabaseFailure } from './supabase-failure.ts';

/** The most rows purge_vapi_retention touches per rule in one call (its migration caps it too). */
export const RETENTION_MAX_BATCH = 5000;

export interface RetentionSettings {
  payloadDays: number;
  eventDays: number;
  /** Undefined: call results are kept. */
  callDays: number | undefined;
  batch: number;
}

const purgeResultSchema = z.object({
  locked: z.boolean(),
  payloadsCleared: z.number().int(),
  eventsDeleted: z.number().int(),
  callsDeleted: z.number().int(),
});

export type PurgeResult = z.output<typeof purgeResultSchema>;

/** One batch of each rule (20261201000500_stats_and_retention.sql); `locked: false` when another purge was running. */
export async function purgeRetention(
  supabase: SupabaseClient,
  settings: RetentionSettings,
): Promise<PurgeResult> {
  const response = await supabase.rpc('purge_vapi_retention', {
    p_payload_days: settings.payloadDays,
    p_event_days: settings.eventDays,
    p_call_days: settings.callDays ?? null,
    p_batch: settings.batch,
  });
  if (response.error) supabaseFailure(response, 'purging past retention');
  return purgeResultSchema.parse(response.data);
}

/** A full batch means more rows may be waiting. */
export function purgedFullBatch(result: PurgeResult, batch: number): boolean {
  return result.payloadsCleared >= batch || result.eventsDeleted >= batch || result.callsDeleted >= batch;
}
