import type { CallListFilter } from '@callbridge/contracts';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterCursorFilter, type CallHistoryCursor, keysetPage } from '../lib/call-history-cursor.ts';
import { outcomeFilter } from '../lib/call-outcome-filter.ts';
import { type ReadScope, readScopeFilter } from '../lib/read-scope.ts';
import { CALL_READS_VIEW, type CallRow, callRowSchema } from '../schemas/call-row-schema.ts';
import { supabaseFailure } from './supabase-failure.ts';

/** The list filter with the phone number already normalized to E.164. */
export type CallListQuery = Omit<CallListFilter, 'phone'> & { customerNumber?: string };

export interface CallListPage {
  rows: CallRow[];
  nextCursor: string | null;
}

/**
 * Every call, newest first by creation time, keyset-paged on (created_at, call_id) like a customer's
 * history: a page never repeats or skips a call because new calls arrived since the previous one.
 */
export async function listCalls(
  supabase: SupabaseClient,
  filter: CallListQuery,
  page: { limit: number; cursor?: CallHistoryCursor },
  scope: ReadScope,
): Promise<CallListPage> {
  let query = supabase
    .from(CALL_READS_VIEW)
    .select('*')
    .order('created_at', { ascending: false })
    .order('call_id', { ascending: false })
    .limit(page.limit + 1);
  if (filter.status !== undefined) query = query.eq('status', filter.status);
  if (filter.outcome !== undefined) query = query.eq('status', 'ended').or(outcomeFilter(filter.outcome));
  if (filter.customerNumber !== undefined) query = query.eq('customer_number', filter.customerNumber);
  if (filter.since !== undefined) query = query.gte('created_at', filter.since);
  if (filter.until !== undefined) query = query.lt('created_at', filter.until);
  const scoped = readScopeFilter(scope);
  if (scoped) query = query.filter(...scoped);
  if (page.cursor) query = query.or(afterCursorFilter(page.cursor));
  const response = await query;
  if (response.error) supabaseFailure(response, 'listing calls');
  const { visible, nextCursor } = keysetPage(callRowSchema.array().parse(response.data), page.limit);
  return { rows: visible, nextCursor };
}

/**
 * Calls changed at or after `since`, oldest change first: what the live stream polls. Capped so a burst
 * is read over several polls rather than in one large response.
 */
export async function listCallsChangedSince(
  supabase: SupabaseClient,
  since: string,
  limit: number,
): Promise<CallRow[]> {
  const response = await supabase
    .from(CALL_READS_VIEW)
    .select('*')
    .gte('updated_at', since)
    .order('updated_at', { ascending: true })
    .limit(limit);
  if (response.error) supabaseFailure(response, 'reading changed calls');
  return callRowSchema.array().parse(response.data);
}
