import type pg from 'pg';
import type { RetentionSettings } from '../../src/services/retention-service.ts';

/** Days before now the seeded rows are dated: past every retention period the bench purges with. */
const EXPIRED_AGE_DAYS = 400;

export interface Backlog {
  events: number;
  calls: number;
}

/** Rows past retention still waiting: deliveries past the event period and calls past the call period. */
export async function expiredBacklog(db: pg.Client, settings: RetentionSettings): Promise<Backlog> {
  const events = await db.query<{ n: number }>(
    `select count(*)::integer as n from vapi_webhook_events where received_at < now() - make_interval(days => $1)`,
    [settings.eventDays],
  );
  const calls =
    settings.callDays === undefined
      ? { rows: [{ n: 0 }] }
      : await db.query<{ n: number }>(
          `select count(*)::integer as n from vapi_call_results where updated_at < now() - make_interval(days => $1)`,
          [settings.callDays],
        );
  return { events: events.rows[0]?.n ?? 0, calls: calls.rows[0]?.n ?? 0 };
}

/**
 * Tops the backlog up to `events` expired deliveries with ~1 KB payloads (so the payload rule has work
 * too) and, when call retention is on, as many expired calls: each rule takes a full batch per purge, so
 * this way the call rule's work lasts as long as the deliveries'.
 */
export async function topUpBacklog(
  db: pg.Client,
  settings: RetentionSettings,
  events: number,
  label: string,
): Promise<Backlog> {
  const before = await expiredBacklog(db, settings);
  const newEvents = Math.max(0, events - before.events);
  const newCalls = settings.callDays === undefined ? 0 : Math.max(0, events - before.calls);
  await db.query(
    `insert into vapi_webhook_events (call_id, event_type, outcome, payload_bytes, received_at, payload)
     select 'expired-' || $2 || '-' || (i % 1000), 'end-of-call-report', 'stored', 1000,
       now() - make_interval(days => $3) - interval '1 second' * i,
       jsonb_build_object('message', jsonb_build_object('type', 'end-of-call-report',
         'call', jsonb_build_object('id', 'expired-' || $2 || '-' || (i % 1000)), 'transcript', repeat('old words ', 100)))
     from generate_series(1, $1) as i`,
    [newEvents, label, EXPIRED_AGE_DAYS],
  );
  await db.query(
    `insert into vapi_call_results (call_id, status, ended_reason, created_at, updated_at)
     select 'expired-' || $2 || '-' || i, 'ended', 'customer-ended-call',
       now() - make_interval(days => $3), now() - make_interval(days => $3) - interval '1 second' * i
     from generate_series(1, $1) as i`,
    [newCalls, label, EXPIRED_AGE_DAYS],
  );
  // Settle the writes before measuring, so the next round does not pay for the seeding.
  await db.query('vacuum analyze vapi_webhook_events, vapi_call_results');
  await db.query('checkpoint').catch(() => undefined);
  return expiredBacklog(db, settings);
}
