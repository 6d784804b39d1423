import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { PushSettlement } from '../lib/kestra-push-policy.ts';
import { supabaseFailure } from './supabase-failure.ts';

/**
 * Records an attempt's outcome on a leased outbox row through its settle function (both wrap
 * settle_outbox_row in 20261201000300_outboxes.sql); false when the lease ran out and another claim
 * holds the row now.
 */
export async function settleOutboxRow(
  db: SupabaseClient,
  settleFunction: 'settle_kestra_push' | 'settle_vapi_relay',
  row: { id: number; claimId: string },
  settlement: PushSettlement,
  what: string,
): Promise<boolean> {
  const response = await db.rpc(settleFunction, {
    p_id: row.id,
    p_claim_id: row.claimId,
    p_state: settlement.state,
    p_last_status: settlement.lastStatus,
    p_last_error: settlement.lastError,
    p_retry_in_ms: settlement.retryInMs,
  });
  if (response.error) supabaseFailure(response, what);
  return z.boolean().parse(response.data);
}
