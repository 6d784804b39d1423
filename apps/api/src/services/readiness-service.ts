import type { SupabaseClient } from '@supabase/supabase-js';

/** Load balancers probe often and give up after a second or two: the answer comes within this. */
export const READINESS_TIMEOUT_MS = 1500;

export interface DatabaseCheck {
  reachable: boolean;
  /** Why not, for the log only: PostgREST error messages can name internals. */
  reason?: string;
}

/** Reaches Postgres the way every other request does: supabase-js → PostgREST → the results table. */
export async function checkDatabase(supabase: SupabaseClient): Promise<DatabaseCheck> {
  try {
    const { error } = await supabase
      .from('vapi_call_results')
      .select('call_id', { head: true })
      .limit(1)
      .abortSignal(AbortSignal.timeout(READINESS_TIMEOUT_MS));
    return error ? { reachable: false, reason: error.message || error.code } : { reachable: true };
  } catch (error) {
    return { reachable: false, reason: (error as Error).message };
  }
}
