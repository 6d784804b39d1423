import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import type { PushSettlement } from '../lib/kestra-push-policy.ts';
import { CALL_ROW_COLUMNS, type CallRow, callRowSchema } from '../schemas/call-row-schema.ts';
import { kestraPushRowSchema } from '../schemas/kestra-push-row-schema.ts';
import { settleOutboxRow } from './settle-outbox-row.ts';
import { supabaseFailure } from './supabase-failure.ts';

/** An outbox row this instance holds under a lease, with the call whose result it pushes. */
export interface ClaimedPush {
  id: number;
  claimId: string;
  callId: string;
  executionId: string;
  /** Null: the configured KESTRA_TENANT. */
  tenant: string | null;
  /** This attempt included. */
  attempts: number;
  /** When the result became final. */
  createdAt: Date;
  /** Undefined when the call was deleted meanwhile (its push row goes with it). */
  call: CallRow | undefined;
  /**
   * The kestra_tenants of the call's source: undefined for the default source (or no call), null
   * for a source without its own list.
   */
  sourceTenants: string[] | null | undefined;
}

const sourceTenantsRowSchema = z.object({ id: z.uuid(), kestra_tenants: z.array(z.string()).nullable() });

/** Each source's allowed Kestra tenants; a source deleted meanwhile is left out (its calls went too). */
async function readSourceTenants(
  supabase: SupabaseClient,
  sourceIds: string[],
): Promise<Map<string, string[] | null>> {
  if (sourceIds.length === 0) return new Map();
  const response = await supabase.from('vapi_sources').select('id, kestra_tenants').in('id', sourceIds);
  if (response.error) supabaseFailure(response, 'reading the Kestra tenants of sources');
  return new Map(
    sourceTenantsRowSchema
      .array()
      .parse(response.data)
      .map((row) => [row.id, row.kestra_tenants]),
  );
}

/** Enqueues the calls the grace period made final since the last poll (see the outbox migration). */
export async function enqueueEndedCallPushes(
  supabase: SupabaseClient,
  rule: { graceSeconds: number; maxAgeSeconds: number },
): Promise<number> {
  const response = await supabase.rpc('enqueue_ended_kestra_pushes', {
    p_grace_seconds: rule.graceSeconds,
    p_max_age_seconds: rule.maxAgeSeconds,
  });
  if (response.error) supabaseFailure(response, 'enqueueing pushes for calls ended without a report');
  return z.number().int().parse(response.data);
}

/** Claims up to `limit` due pushes for `leaseSeconds`, then reads their calls in one query. */
export async function claimKestraPushes(
  supabase: SupabaseClient,
  claim: { limit: number; leaseSeconds: number },
): Promise<ClaimedPush[]> {
  const response = await supabase.rpc('claim_kestra_pushes', {
    p_limit: claim.limit,
    p_lease_seconds: claim.leaseSeconds,
  });
  if (response.error) supabaseFailure(response, 'claiming Kestra pushes');
  const rows = kestraPushRowSchema.array().parse(response.data);
  if (rows.length === 0) return [];

  const calls = await supabase
    .from('vapi_call_results')
    .select(CALL_ROW_COLUMNS)
    .in(
      'call_id',
      rows.map((row) => row.call_id),
    );
  if (calls.error) supabaseFailure(calls, 'reading the calls of claimed Kestra pushes');
  const byId = new Map(
    callRowSchema
      .array()
      .parse(calls.data)
      .map((call) => [call.call_id, call]),
  );

  const sourceIds = [...byId.values()].flatMap((call) => (call.source_id ? [call.source_id] : []));
  const tenantsBySource = await readSourceTenants(supabase, [...new Set(sourceIds)]);

  return rows.map((row) => {
    const call = byId.get(row.call_id);
    // A source missing from the map (deleted between the two reads) is allowed nothing.
    const sourceId = call?.source_id;
    const sourceTenants = sourceId
      ? tenantsBySource.has(sourceId)
        ? (tenantsBySource.get(sourceId) ?? null)
        : []
      : undefined;
    return {
      id: row.id,
      claimId: z.string().parse(row.claim_id),
      callId: row.call_id,
      executionId: row.execution_id,
      tenant: row.tenant,
      attempts: row.attempts,
      createdAt: new Date(row.created_at),
      call,
      sourceTenants,
    };
  });
}

/** Records an attempt's outcome; false when the lease ran out and another claim holds the row now. */
export function settleKestraPush(
  supabase: SupabaseClient,
  push: Pick<ClaimedPush, 'id' | 'claimId'>,
  settlement: PushSettlement,
): Promise<boolean> {
  return settleOutboxRow(supabase, 'settle_kestra_push', push, settlement, 'settling a Kestra push');
}
