import type { SupabaseClient } from '@supabase/supabase-js';
import { callIngestRpc, type IngestEndpoint } from './store-vapi-events.ts';

/** Load balancers probe often and give up after a second or two: the answer comes within this. */
export const READINESS_TIMEOUT_MS = 1500;

export interface DatabaseCheck {
  reachable: boolean;
  /** Why not, for the log only: PostgREST error messages can name internals. */
  reason?: string;
}

async function readsResults(supabase: SupabaseClient): Promise<string | undefined> {
  const { error } = await supabase
    .from('vapi_call_results')
    .select('call_id', { head: true })
    .limit(1)
    .abortSignal(AbortSignal.timeout(READINESS_TIMEOUT_MS));
  return error ? error.message || error.code : undefined;
}

/** An empty batch stores nothing, but fails where a webhook's store would: no function, no grant. */
async function takesBatches(endpoint: IngestEndpoint): Promise<string | undefined> {
  await callIngestRpc(endpoint, [], READINESS_TIMEOUT_MS);
  return undefined;
}

/**
 * Reaches Postgres the way every other request does: supabase-js → PostgREST → the results table, and
 * the webhook's own store with nothing in it, so an instance whose schema lacks this release's
 * migrations is not sent webhooks it could not store. Both at once, within READINESS_TIMEOUT_MS.
 */
export async function checkDatabase(
  supabase: SupabaseClient,
  endpoint: IngestEndpoint,
): Promise<DatabaseCheck> {
  try {
    const reasons = await Promise.all([readsResults(supabase), takesBatches(endpoint)]);
    const reason = reasons.find((found) => found !== undefined);
    return reason === undefined ? { reachable: true } : { reachable: false, reason };
  } catch (error) {
    return { reachable: false, reason: (error as Error).message };
  }
}
