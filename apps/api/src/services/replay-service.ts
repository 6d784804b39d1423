import type { SupabaseClient } from '@supabase/supabase-js';
import type { z } from 'zod';
import { type EventRecord, type PrepareOptions, prepareVapiDelivery } from '../lib/prepare-vapi-delivery.ts';
import { type ReadScope, readScopeFilter } from '../lib/read-scope.ts';
import { type EventRow, eventRowSchema } from '../schemas/event-row-schema.ts';
import { type Ingested, ingestDeliveries, type StorePolicy, storedOrThrow } from './ingest-deliveries.ts';
import type { StoreAttempt, StoredEvent } from './store-vapi-events.ts';
import { supabaseFailure } from './supabase-failure.ts';

/** A replay is stored like a live delivery, in one call per batch, and never spooled. */
export interface ReplayOptions extends Omit<StorePolicy, 'spool' | 'receivedAt'>, PrepareOptions {
  /** How a replay's store reaches the database: its own RPC call, not the webhooks' group commit. */
  store: StoreAttempt;
}

/** How long a store took and how often it was retried: what the route counts. */
export type StoreMeasures = Pick<Ingested, 'retries' | 'durationMs'>;

const REPLAY_COLUMNS = 'id,received_at,payload_bytes,payload,source_id';
const replayRowSchema = eventRowSchema.pick({
  id: true,
  received_at: true,
  payload_bytes: true,
  payload: true,
  source_id: true,
});
/** An event with what a replay needs: its stored payload. */
type ReplayableRow = z.output<typeof replayRowSchema>;

/** Events read and stored per round trip in a range replay: payloads can be ~1 MB each. */
const REPLAY_BATCH = 50;

/** Replays one event may have at most: the log grows by at most this many rows per delivery. */
export const MAX_REPLAYS_PER_EVENT = 3;

/** Why an event is not replayed again, with the replay that says so. */
export type AlreadyReplayed = { reason: 'merged' | 'attempts'; replayEventId: number };

const replayOfRowSchema = eventRowSchema.pick({ id: true, replay_of: true, outcome: true });

/**
 * The events of `ids` that must not be replayed again. A stored payload never changes, so once a
 * replay of it merged (`stored`), another would only add a row: merging is idempotent. A replay that
 * did not merge (`failed` before a fix, `acknowledged` by a version that did not know the shape) may
 * be tried again, up to MAX_REPLAYS_PER_EVENT in all. So repeating a replay, of one event or of a
 * range, cannot grow the store without bound.
 */
async function alreadyReplayed(
  supabase: SupabaseClient,
  ids: number[],
): Promise<Map<number, AlreadyReplayed>> {
  if (ids.length === 0) return new Map();
  const response = await supabase
    .from('vapi_webhook_events')
    .select('id,replay_of,outcome')
    .in('replay_of', ids)
    .order('id', { ascending: true });
  if (response.error) supabaseFailure(response, 'reading earlier replays');
  const replays = new Map<number, { count: number; merged?: number; last: number }>();
  for (const row of replayOfRowSchema.array().parse(response.data)) {
    if (row.replay_of === null) continue;
    const seen = replays.get(row.replay_of) ?? { count: 0, last: row.id };
    seen.count += 1;
    seen.last = row.id;
    if (row.outcome === 'stored' && seen.merged === undefined) seen.merged = row.id;
    replays.set(row.replay_of, seen);
  }
  const blocked = new Map<number, AlreadyReplayed>();
  for (const [id, seen] of replays) {
    if (seen.merged !== undefined) blocked.set(id, { reason: 'merged', replayEventId: seen.merged });
    else if (seen.count >= MAX_REPLAYS_PER_EVENT)
      blocked.set(id, { reason: 'attempts', replayEventId: seen.last });
  }
  return blocked;
}

/**
 * The same path as a live delivery (prepare → store), under a new delivery id and marked as a replay
 * of the event. Received at the original time, so the mapping reads the payload as it did then.
 */
function replayRecord(row: ReplayableRow, options: PrepareOptions): EventRecord {
  const { record } = prepareVapiDelivery(
    {
      deliveryId: crypto.randomUUID(),
      payload: row.payload,
      payloadBytes: row.payload_bytes,
      receivedAt: new Date(row.received_at),
      // Its own source: a replay merges only into a call of the source that delivered it.
      sourceId: row.source_id,
    },
    options,
  );
  return { ...record, replayOf: row.id };
}

export type ReplayEventResult =
  | { state: 'unknown' }
  | { state: 'no-payload' }
  | ({ state: 'already-replayed' } & AlreadyReplayed)
  | { state: 'replayed'; record: EventRecord; ingested: Ingested };

/**
 * Re-applies one logged delivery's payload; the replay is itself logged as a new event. `ingested` says
 * whether it was stored (storedOrThrow gives the caller its 503).
 */
export async function replayEvent(
  supabase: SupabaseClient,
  eventId: number,
  options: ReplayOptions,
  scope: ReadScope,
): Promise<ReplayEventResult> {
  let query = supabase.from('vapi_webhook_events').select(REPLAY_COLUMNS).eq('id', eventId);
  const scoped = readScopeFilter(scope);
  if (scoped) query = query.filter(...scoped);
  const response = await query.maybeSingle();
  if (response.error) supabaseFailure(response, 'reading a delivery to replay');
  if (!response.data) return { state: 'unknown' };
  const row = replayRowSchema.parse(response.data);
  if (row.payload === null || row.payload === undefined) return { state: 'no-payload' };
  const earlier = (await alreadyReplayed(supabase, [row.id])).get(row.id);
  if (earlier) return { state: 'already-replayed', ...earlier };

  const record = replayRecord(row, options);
  const ingested = await ingestDeliveries(options.store, [record], options);
  return { state: 'replayed', record, ingested };
}

export interface ReplayRange {
  since: string;
  until: string;
  outcome?: EventRow['outcome'];
}

interface Position {
  receivedAt: string;
  id: number;
}

export interface ReplayRangeResult {
  replayed: number;
  withoutPayload: number;
  /** Events left out because an earlier replay merged them, or they used up their attempts. */
  alreadyReplayed: number;
  /** The events re-applied, for the caller to act on (wake waiters for stored calls). */
  stored: Array<{ callId: string | null; outcome: StoredEvent['outcome'] }>;
  /** One per batch stored. A batch that could not be stored throws instead (503), after those before it. */
  stores: StoreMeasures[];
  more: boolean;
  nextSince: string | null;
}

/**
 * Replays the deliveries received in [since, until), oldest first, up to `maxEvents` of them. Replays
 * themselves are never replayed again: their originals are in the range too, and a range that took
 * its own replays would never end. Events already replayed (see alreadyReplayed) are counted and
 * left out, but count towards `maxEvents`: a second call over the same range adds nothing.
 */
export async function replayRange(
  supabase: SupabaseClient,
  range: ReplayRange,
  options: ReplayOptions & { maxEvents: number },
  scope: ReadScope,
): Promise<ReplayRangeResult> {
  const scoped = readScopeFilter(scope);
  // Oldest first by time received, then id: `nextSince` then resumes exactly where this call stopped.
  const readBatch = async (after: Position | undefined, limit: number) => {
    let query = supabase
      .from('vapi_webhook_events')
      .select(REPLAY_COLUMNS)
      .is('replay_of', null)
      .gte('received_at', range.since)
      .lt('received_at', range.until)
      .order('received_at', { ascending: true })
      .order('id', { ascending: true })
      .limit(limit);
    if (range.outcome !== undefined) query = query.eq('outcome', range.outcome);
    if (scoped) query = query.filter(...scoped);
    if (after) {
      // Quoted: PostgREST's filter syntax reserves characters a timestamp's offset may hold.
      const at = JSON.stringify(after.receivedAt);
      query = query.or(`received_at.gt.${at},and(received_at.eq.${at},id.gt.${after.id})`);
    }
    const response = await query;
    if (response.error) supabaseFailure(response, 'reading deliveries to replay');
    return replayRowSchema.array().parse(response.data);
  };

  const result: ReplayRangeResult = {
    replayed: 0,
    withoutPayload: 0,
    alreadyReplayed: 0,
    stored: [],
    stores: [],
    more: false,
    nextSince: null,
  };
  let after: Position | undefined;
  let examined = 0;
  while (examined < options.maxEvents) {
    const rows = await readBatch(after, Math.min(REPLAY_BATCH, options.maxEvents - examined));
    const last = rows.at(-1);
    if (!last) break;
    examined += rows.length;
    after = { receivedAt: last.received_at, id: last.id };

    const withPayload = rows.filter((row) => row.payload !== null && row.payload !== undefined);
    result.withoutPayload += rows.length - withPayload.length;
    const blocked = await alreadyReplayed(
      supabase,
      withPayload.map((row) => row.id),
    );
    const due = withPayload.filter((row) => !blocked.has(row.id));
    result.alreadyReplayed += withPayload.length - due.length;
    if (due.length === 0) continue;
    const records = due.map((row) => replayRecord(row, options));
    const ingested = await ingestDeliveries(options.store, records, options);
    const stored = storedOrThrow(ingested);
    result.stores.push({ retries: ingested.retries, durationMs: ingested.durationMs });
    result.replayed += records.length;
    // In the records' order (ingest-deliveries.ts): the outcome is the database's, never guessed here.
    stored.forEach((event, index) => {
      result.stored.push({ callId: records[index]?.callId ?? null, outcome: event.outcome });
    });
  }

  if (examined >= options.maxEvents) {
    const [next] = await readBatch(after, 1);
    if (next) {
      result.more = true;
      result.nextSince = next.received_at;
    }
  }
  return result;
}
