import type { SupabaseClient } from '@supabase/supabase-js';
import { supabaseFailure } from './supabase-failure.ts';
import type { RelayOutcome } from './vapi-relay.ts';

/** Writes what the relay did onto the stored event (one UPDATE, after the forward finished). */
export async function recordRelayOutcome(
  db: SupabaseClient,
  eventId: number,
  outcome: RelayOutcome,
  timeoutMs: number,
): Promise<void> {
  const response = await db
    .from('vapi_webhook_events')
    .update({
      relay_status: outcome.status,
      relay_ms: outcome.ms,
      relay_error: outcome.kind === 'failed' ? outcome.error : null,
    })
    .eq('id', eventId)
    .abortSignal(AbortSignal.timeout(timeoutMs));
  if (response.error) supabaseFailure(response, 'recording the relay outcome');
}
