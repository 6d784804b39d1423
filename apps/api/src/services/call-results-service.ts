import type { SupabaseClient } from '@supabase/supabase-js';
import { afterCursorFilter, type CallHistoryCursor, keysetPage } from '../lib/call-history-cursor.ts';
import { mayHaveKestraPush } from '../lib/may-have-kestra-push.ts';
import { type ReadScope, readScopeFilter, readScopeSourceIds } from '../lib/read-scope.ts';
import { type FinalReason, finalReason } from '../lib/to-call-result.ts';
import {
  CALL_SUMMARIES_VIEW,
  type CallRow,
  type CallSummaryRow,
  callRowSchema,
} from '../schemas/call-row-schema.ts';
import { KESTRA_PUSH_VIEW_COLUMNS, type KestraPushView } from '../schemas/kestra-push-row-schema.ts';
import type { CallRowReader } from './call-row-reader.ts';
import { supabaseFailure } from './supabase-failure.ts';

export interface FinalityRule {
  now: Date;
  graceSeconds: number;
}

export interface CallReadOptions {
  /** Kestra push configured: show the call's push. Without it `kestraPush` is documented as null. */
  kestraPush: boolean;
  /** The caller's sources: another source's call reads exactly as one that does not exist. */
  scope: ReadScope;
}

export type CallLookup =
  /** `push`: the call's row in the Kestra push outbox, if it has one. */
  | { state: 'final'; row: CallRow; reason: FinalReason; push: KestraPushView | null }
  | { state: 'pending'; row: CallRow }
  | { state: 'unknown' };

/*
 * Reads trust the database's shape: the columns and their types are fixed by the migrations, and the
 * row schemas (schemas/call-row-schema.ts) type what PostgREST returns without re-checking it on every
 * read; the integration tests check the responses built from it against the contracts.
 */

/** Where a single call's reads come from: its row through readCallRow, its Kestra push through PostgREST. */
export interface CallReads {
  supabase: SupabaseClient;
  readCallRow: CallRowReader;
}

export async function getCallResult(
  reads: CallReads,
  callId: string,
  rule: FinalityRule,
  options: CallReadOptions,
): Promise<CallLookup> {
  const row = await reads.readCallRow(callId, options.scope);
  if (!row) return { state: 'unknown' };
  const reason = finalReason(row, rule.now, rule.graceSeconds);
  if (!reason) return { state: 'pending', row };
  const push =
    options.kestraPush && mayHaveKestraPush(row.metadata)
      ? await getKestraPush(reads.supabase, callId)
      : null;
  return { state: 'final', row, reason, push };
}

async function getKestraPush(supabase: SupabaseClient, callId: string): Promise<KestraPushView | null> {
  const response = await supabase
    .from('kestra_push_outbox')
    .select(KESTRA_PUSH_VIEW_COLUMNS)
    .eq('call_id', callId)
    .maybeSingle<KestraPushView>();
  if (response.error) supabaseFailure(response, "reading a call's Kestra push");
  return response.data;
}

const FINALITY_COLUMNS = 'call_id,status,report_received_at,ended_at,updated_at';
const finalityRowSchema = callRowSchema.pick({
  call_id: true,
  status: true,
  report_received_at: true,
  ended_at: true,
  updated_at: true,
});

/** Which of these calls have a final result now: what long-poll waiters on other calls' rows wait for. */
export async function findFinalCallIds(
  supabase: SupabaseClient,
  callIds: string[],
  rule: FinalityRule,
): Promise<string[]> {
  if (callIds.length === 0) return [];
  const response = await supabase
    .from('vapi_call_results')
    .select(FINALITY_COLUMNS)
    .in('call_id', callIds)
    .or('report_received_at.not.is.null,status.eq.ended');
  if (response.error) supabaseFailure(response, 'checking waited-for calls');
  return finalityRowSchema
    .array()
    .parse(response.data)
    .filter((row) => finalReason(row, rule.now, rule.graceSeconds) !== undefined)
    .map((row) => row.call_id);
}

export interface CallHistoryPage {
  rows: Array<{ row: CallSummaryRow; reason: FinalReason | undefined }>;
  nextCursor: string | null;
}

/** A customer's calls, newest first, by keyset: stable while new calls keep arriving. */
export async function getCallHistory(
  supabase: SupabaseClient,
  customerNumber: string,
  page: { limit: number; cursor?: CallHistoryCursor },
  rule: FinalityRule,
  scope: ReadScope,
): Promise<CallHistoryPage> {
  let query = supabase
    .from(CALL_SUMMARIES_VIEW)
    .select('*')
    .eq('customer_number', customerNumber)
    .order('created_at', { ascending: false })
    .order('call_id', { ascending: false })
    .limit(page.limit + 1);
  const scoped = readScopeFilter(scope);
  if (scoped) query = query.filter(...scoped);
  if (page.cursor) query = query.or(afterCursorFilter(page.cursor));
  const response = await query.overrideTypes<CallSummaryRow[], { merge: false }>();
  if (response.error) supabaseFailure(response, 'reading call history');
  const { visible, nextCursor } = keysetPage(response.data, page.limit);
  return {
    rows: visible.map((row) => ({ row, reason: finalReason(row, rule.now, rule.graceSeconds) })),
    nextCursor,
  };
}

export async function deleteCall(
  supabase: SupabaseClient,
  callId: string,
  scope: ReadScope,
): Promise<{ deleted: boolean; deletedEvents: number }> {
  const response = await supabase.rpc('delete_vapi_call', {
    p_call_id: callId,
    p_source_ids: readScopeSourceIds(scope),
  });
  if (response.error) supabaseFailure(response, 'deleting a call');
  return response.data as { deleted: boolean; deletedEvents: number };
}
