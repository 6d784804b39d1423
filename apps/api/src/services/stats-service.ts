import { type VapiStats, vapiStatsSchema } from '@callbridge/contracts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { type ReadScope, readScopeSourceIds } from '../lib/read-scope.ts';
import type { StatsWindow } from '../lib/stats-window.ts';
import { supabaseFailure } from './supabase-failure.ts';

const storedStatsSchema = vapiStatsSchema.omit({ since: true, until: true });

/** Everything GET /api/v1/vapi/stats reports, computed by Postgres in one call (vapi_stats). */
export async function getStats(
  supabase: SupabaseClient,
  window: StatsWindow,
  scope: ReadScope,
): Promise<VapiStats> {
  const response = await supabase.rpc('vapi_stats', {
    p_since: window.since.toISOString(),
    p_until: window.until.toISOString(),
    p_source_ids: readScopeSourceIds(scope),
  });
  if (response.error) supabaseFailure(response, 'computing stats');
  return {
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    ...storedStatsSchema.parse(response.data),
  };
}
