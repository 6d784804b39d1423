import type { SupabaseClient } from '@supabase/supabase-js';
import { type EventLogCursor, encodeEventCursor } from '../lib/event-log-cursor.ts';
import { type ReadScope, readScopeFilter } from '../lib/read-scope.ts';
import {
  EVENT_COLUMNS,
  EVENT_COLUMNS_WITH_CONTENT,
  type EventRow,
  eventRowSchema,
} from '../schemas/event-row-schema.ts';
import { supabaseFailure } from './supabase-failure.ts';

export interface EventLogFilter {
  callId?: string;
  type?: string;
  outcome?: EventRow['outcome'];
  /** Received at or after. */
  since?: string;
  /** Received before. */
  until?: string;
}

export interface EventLogPage {
  rows: EventRow[];
  nextCursor: string | null;
}

/**
 * The delivery log, newest first, by keyset on the event id: a page never repeats or skips an event
 * because new deliveries arrived since the previous one. With content, the page also stops before its
 * payloads pass `maxPayloadBytes` (by payload_bytes, the size received; one event always fits): the
 * ids and sizes are read first, then the content of only the events that fit.
 */
export async function listEvents(
  supabase: SupabaseClient,
  filter: EventLogFilter,
  page: { limit: number; cursor?: EventLogCursor; withContent: boolean; maxPayloadBytes?: number },
  scope: ReadScope,
): Promise<EventLogPage> {
  let query = supabase
    .from('vapi_webhook_events')
    .select(EVENT_COLUMNS)
    .order('id', { ascending: false })
    .limit(page.limit + 1);
  if (filter.callId !== undefined) query = query.eq('call_id', filter.callId);
  if (filter.type !== undefined) query = query.eq('event_type', filter.type);
  if (filter.outcome !== undefined) query = query.eq('outcome', filter.outcome);
  if (filter.since !== undefined) query = query.gte('received_at', filter.since);
  if (filter.until !== undefined) query = query.lt('received_at', filter.until);
  if (page.cursor) query = query.lt('id', page.cursor.before);
  const scoped = readScopeFilter(scope);
  if (scoped) query = query.filter(...scoped);

  const response = await query;
  if (response.error) supabaseFailure(response, 'reading the delivery log');
  const rows = eventRowSchema.array().parse(response.data);
  const visible = page.withContent
    ? withinPayloadBytes(rows.slice(0, page.limit), page.maxPayloadBytes ?? Number.POSITIVE_INFINITY)
    : rows.slice(0, page.limit);
  const last = visible.at(-1);
  return {
    rows: page.withContent ? await withContent(supabase, visible) : visible,
    nextCursor: rows.length > visible.length && last ? encodeEventCursor({ before: last.id }) : null,
  };
}

/** The first rows whose payloads add up to at most `maxBytes`; never fewer than one. */
function withinPayloadBytes(rows: EventRow[], maxBytes: number): EventRow[] {
  let total = 0;
  let count = 0;
  for (const row of rows) {
    total += row.payload_bytes;
    if (count > 0 && total > maxBytes) break;
    count += 1;
  }
  return rows.slice(0, count);
}

/** The same rows with their payload and sanitizer report, in the same order. */
async function withContent(supabase: SupabaseClient, rows: EventRow[]): Promise<EventRow[]> {
  if (rows.length === 0) return rows;
  const response = await supabase
    .from('vapi_webhook_events')
    .select(EVENT_COLUMNS_WITH_CONTENT)
    .in(
      'id',
      rows.map((row) => row.id),
    );
  if (response.error) supabaseFailure(response, 'reading the delivery log');
  const byId = new Map(
    eventRowSchema
      .array()
      .parse(response.data)
      .map((row) => [row.id, row]),
  );
  // An event deleted between the two reads (retention, a data-subject delete) is left out.
  return rows.flatMap((row) => {
    const full = byId.get(row.id);
    return full ? [full] : [];
  });
}

export async function getEvent(
  supabase: SupabaseClient,
  eventId: number,
  scope: ReadScope,
): Promise<EventRow | undefined> {
  let query = supabase.from('vapi_webhook_events').select(EVENT_COLUMNS_WITH_CONTENT).eq('id', eventId);
  const scoped = readScopeFilter(scope);
  if (scoped) query = query.filter(...scoped);
  const response = await query.maybeSingle();
  if (response.error) supabaseFailure(response, 'reading a delivery');
  return response.data ? eventRowSchema.parse(response.data) : undefined;
}
